from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core.models import TimeStampedModel

# Validation messages: shared with the tests so both use one spelling.
SESSION_OUTSIDE_CYCLE = _(
    "The session must take place within the cycle's dates (%(start)s – %(end)s)."
)
SESSION_END_BEFORE_START = _("The session must end after it starts.")
CYCLE_END_BEFORE_START = _("The cycle must end on or after its start date.")
CYCLE_SESSIONS_OUTSIDE = _(
    "Some sessions of this cycle would fall outside the new dates; move them first."
)


class Partner(TimeStampedModel):
    """An institution of the partnership (the magistrates' association, the governance centre)."""

    slug = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self):
        return self.short_name or self.name


class Programme(TimeStampedModel):
    """A training programme run by a partnership of partner institutions."""

    slug = models.SlugField(_("key"), unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), related_name="programmes"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.title


class Axis(TimeStampedModel):
    """A thematic axis of a programme (e.g. the legal frameworks)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="axes"
    )
    key = models.SlugField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="training_axis_key_unique"),
        ]

    def __str__(self):
        return self.title


class Module(TimeStampedModel):
    """A teaching unit of an axis: objectives, Markdown content and resources."""

    axis = models.ForeignKey(
        Axis, verbose_name=_("axis"), on_delete=models.CASCADE, related_name="modules"
    )
    key = models.SlugField(_("key"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(
        _("objectives"), blank=True, help_text=_("One objective per line.")
    )
    content = models.TextField(_("content (Markdown)"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    resources = models.JSONField(_("resources"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    to_verify = models.JSONField(_("statements to verify"), default=list, blank=True)
    # For trainers and coordinators only (rule `training.read_trainer_guide`): the timed
    # facilitation plan, model answers to the discussion questions and a second case, each
    # text in fr/ar/en. Shape: see `training.content._validate_trainer_guide`.
    trainer_guide = models.JSONField(_("trainer's guide"), default=dict, blank=True)

    class Meta:
        ordering = ["axis__order", "order"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="training_module_duration_positive"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in (self.objectives or "").splitlines() if line.strip()]

    def trainer_guide_in(self, language: str | None = None) -> dict | None:
        """The trainer's guide in one language (default: the active one, with the content
        fallback), or None when the module has none. Ask `training.read_trainer_guide` first."""
        from himaya.core.content import in_language

        guide = self.trainer_guide or {}
        if not guide.get("plan"):
            return None

        def text(value):
            return in_language(value, language)

        case = guide.get("case") or {}
        return {
            "plan": [
                {
                    "minutes": step["minutes"],
                    "title": text(step["title"]),
                    "activity": text(step["activity"]),
                }
                for step in guide["plan"]
            ],
            "total_minutes": sum(step["minutes"] for step in guide["plan"]),
            "answers": [text(answer) for answer in guide.get("answers", [])],
            "case": {
                "title": text(case.get("title")),
                "scenario": text(case.get("scenario")),
                "points": in_language(case.get("points"), language) or [],
            },
        }


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Cycle(TimeStampedModel):
    """One edition of a programme: dates, venue, participants."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cycles"
    )
    slug = models.SlugField(_("key"), unique=True, max_length=80)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )

    class Meta:
        ordering = ["-start_date", "number"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="training_cycle_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_cycle_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="training_cycle_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CycleStatus.values),
                name="training_cycle_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": ValidationError(CYCLE_END_BEFORE_START, code="end_before_start")}
            )
        if self.pk and self.start_date and self.end_date:
            outside = self.sessions.exclude(date__range=(self.start_date, self.end_date))
            if outside.exists():
                raise ValidationError(
                    {"start_date": ValidationError(CYCLE_SESSIONS_OUTSIDE, code="sessions_outside")}
                )


class Session(TimeStampedModel):
    """A slot of a cycle's agenda, on one day, in local time (the cycle's city)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="sessions"
    )
    key = models.SlugField(
        _("key"),
        blank=True,
        help_text=_("Stable identifier within the cycle, used by content files."),
    )
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    modules = models.ManyToManyField(
        Module, verbose_name=_("modules"), blank=True, related_name="sessions"
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="sessions_taught",
    )
    attendance_expected = models.BooleanField(
        _("attendance taken"),
        default=True,
        help_text=_("Untick for breaks and social moments where no attendance is taken."),
    )

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="training_session_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["cycle", "key"],
                condition=~models.Q(key=""),
                name="training_session_key_unique",
            ),
            # "Inside the cycle's dates" spans two tables: see the triggers in migration 0002.
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d} {self.start_time:%H:%M})"

    def clean(self):
        errors = {}
        if self.cycle_id and self.date:
            cycle = self.cycle
            if not (cycle.start_date <= self.date <= cycle.end_date):
                errors["date"] = ValidationError(
                    SESSION_OUTSIDE_CYCLE,
                    code="outside_cycle",
                    params={
                        "start": cycle.start_date.isoformat(),
                        "end": cycle.end_date.isoformat(),
                    },
                )
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = ValidationError(SESSION_END_BEFORE_START, code="end_before_start")
        if errors:
            raise ValidationError(errors)


class EnrolmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    # Beyond the cycle's capacity: no seat and no rights until a withdrawal promotes them.
    WAITING = "waiting", _("Waiting list")


# Enrolments that hold neither a seat nor any right in the cycle (its pages, tests, surveys,
# attendance, certificate): the withdrawn and the waiting list. Every such decision reads this.
WITHOUT_SEAT = (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.WAITING)


class Enrolment(TimeStampedModel):
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="enrolments"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.INVITED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["participant__last_name", "participant__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"], name="training_enrolment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EnrolmentStatus.values),
                name="training_enrolment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.cycle}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")
    NOT_EXPECTED = "not_expected", _("Not expected")


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="training_attendance_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="training_attendance_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.session}: {self.get_status_display()}"


class ParticipantImport(TimeStampedModel):
    """An uploaded participant file awaiting confirmation after its preview.

    The raw bytes are kept only until the import is applied or abandoned."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    # The preview, computed once by a background job: {"plan": [...]} or {"file_error": "..."}.
    preview = models.JSONField(null=True, blank=True, editable=False)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
