"""The risk aid's openly written rule and its reassessment schedule.

The aid suggests; the judge decides. The rule below is the whole of it, shown to the judge as
written here (`rule_lines`), and nothing else goes into the suggestion: no weights, no score,
no probability (no tool has been validated on Moroccan cases, and the tools used elsewhere
discriminate modestly, AUC about .60–.72). Unknown answers are counted apart and never taken as
"no": when several red flags are unknown the suggestion is marked provisional, because the
level it gives may be too low."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .vocabulary import LEVELS

SEVERE_RED_FLAGS = 3  # this many red flags present → severe
ELEVATED_OTHER_FACTORS = 3  # no red flag, but this many other factors present → elevated
PROVISIONAL_UNKNOWN_RED_FLAGS = 3  # this many red flags unknown → the suggestion is provisional
REASSESS_AFTER_MONTHS = (1, 3)  # after the first assessment; and on any new incident or breach


@dataclass
class Suggestion:
    level: str
    red_flags: list[str] = field(default_factory=list)  # present, in the aid's order
    other_present: list[str] = field(default_factory=list)
    unknown_red_flags: list[str] = field(default_factory=list)
    unknown_other: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return len(self.unknown_red_flags) >= PROVISIONAL_UNKNOWN_RED_FLAGS

    @property
    def unknown_count(self) -> int:
        return len(self.unknown_red_flags) + len(self.unknown_other)

    def reason(self) -> str:
        """The rule that produced this level, with this file's counts."""
        n = len(self.red_flags)
        if self.level == "severe":
            return ngettext(
                "%(n)d red flag is present: %(min)d or more red flags suggest a severe risk.",
                "%(n)d red flags are present: %(min)d or more red flags suggest a severe risk.",
                n,
            ) % {"n": n, "min": SEVERE_RED_FLAGS}
        if self.level == "high":
            return ngettext(
                "%(n)d red flag is present: one or two red flags suggest a high risk.",
                "%(n)d red flags are present: one or two red flags suggest a high risk.",
                n,
            ) % {"n": n}
        m = len(self.other_present)
        if self.level == "elevated":
            return ngettext(
                "No red flag is present, but %(m)d other factor is: %(min)d or more other "
                "factors suggest an elevated risk.",
                "No red flag is present, but %(m)d other factors are: %(min)d or more other "
                "factors suggest an elevated risk.",
                m,
            ) % {"m": m, "min": ELEVATED_OTHER_FACTORS}
        return ngettext(
            "No red flag is present and %(m)d other factor is: below %(min)d other factors "
            "the aid suggests a moderate risk.",
            "No red flag is present and %(m)d other factors are: below %(min)d other factors "
            "the aid suggests a moderate risk.",
            m,
        ) % {"m": m, "min": ELEVATED_OTHER_FACTORS}


def rule_lines() -> list[str]:
    """The whole rule, as shown beside every suggestion."""
    return [
        _("%(min)d or more red flags present: severe risk.") % {"min": SEVERE_RED_FLAGS},
        _("One or two red flags present: high risk."),
        _("No red flag, but %(min)d or more other factors present: elevated risk.")
        % {"min": ELEVATED_OTHER_FACTORS},
        _("Otherwise: moderate risk."),
        _(
            "Unknown answers count neither way. With %(min)d or more red flags unknown, the "
            "suggestion is provisional: it may be too low."
        )
        % {"min": PROVISIONAL_UNKNOWN_RED_FLAGS},
        _("The judge sets the level, higher or lower, and gives a reason when it differs."),
    ]


def suggest(answers: dict[str, str], groups: list[dict]) -> Suggestion:
    """The suggested level for `answers` ({factor key: "yes" | "no" | "unknown"}; a factor
    left out counts as unknown) under the rule above. `groups` are the risk aid's groups."""
    s = Suggestion(level="moderate")
    for group in groups:
        for factor in group["factors"]:
            answer = answers.get(factor["key"], "unknown")
            if factor["red_flag"]:
                if answer == "yes":
                    s.red_flags.append(factor["key"])
                elif answer != "no":
                    s.unknown_red_flags.append(factor["key"])
            elif answer == "yes":
                s.other_present.append(factor["key"])
            elif answer != "no":
                s.unknown_other.append(factor["key"])
    if len(s.red_flags) >= SEVERE_RED_FLAGS:
        s.level = "severe"
    elif s.red_flags:
        s.level = "high"
    elif len(s.other_present) >= ELEVATED_OTHER_FACTORS:
        s.level = "elevated"
    return s


def level_change(suggested: str, chosen: str) -> str:
    """'kept', 'up' or 'down': how the judge's level compares with the suggestion."""
    a, b = LEVELS.index(suggested), LEVELS.index(chosen)
    return "kept" if a == b else ("up" if b > a else "down")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_due(first: dt.date, last: dt.date) -> dt.date | None:
    """The next scheduled reassessment: 1 and 3 months after the first assessment, the first of
    them after the latest round; none once both have passed."""
    for months in REASSESS_AFTER_MONTHS:
        due = add_months(first, months)
        if due > last:
            return due
    return None
