"""Arabic date formats as Moroccan courts write them: "5 دجنبر 2024", 24-hour time.

Django's own Arabic formats write "5 ديسمبر، 2024" and "2:30 م"; the month names themselves
come from himaya/core/locale_months (Moroccan names, see himaya.core.text.MOROCCAN_MONTHS).
Only output formats are set here: input formats stay Django's defaults (ISO dates)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
