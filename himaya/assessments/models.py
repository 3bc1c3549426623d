import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core.models import TimeStampedModel


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    VIGNETTE = "vignette", _("Case vignette")


class TestForm(models.TextChoices):
    A = "A", "A"
    B = "B", "B"


class Question(TimeStampedModel):
    """A question of the bank, or a sub-question of a case vignette (with a parent)."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    axis = models.ForeignKey(
        "training.Axis", verbose_name=_("axis"), on_delete=models.PROTECT, related_name="questions"
    )
    module = models.ForeignKey(
        "training.Module",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    pair = models.CharField(_("parallel pair"), max_length=40, blank=True)
    form = models.CharField(_("form"), max_length=1, choices=TestForm.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), default=2)
    stem = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    provisions = models.ManyToManyField(
        "benchbook.Provision",
        verbose_name=_("bench-book provisions"),
        blank=True,
        related_name="questions",
    )

    class Meta:
        ordering = ["axis__order", "form", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=3),
                name="assessments_question_difficulty",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values),
                name="assessments_question_kind_valid",
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def is_scored(self) -> bool:
        """Vignettes are scored through their sub-questions."""
        return self.kind != QuestionKind.VIGNETTE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(max_length=10)
    text = models.TextField(_("text"))
    correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"], name="assessments_choice_key_unique"
            )
        ]

    def __str__(self):
        return f"{self.question.key}:{self.key}"


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class Test(TimeStampedModel):
    """The pre-test or the post-test of a cycle."""

    __test__ = False  # not a pytest test class

    cycle = models.ForeignKey(
        "training.Cycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="tests"
    )
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )

    class Meta:
        ordering = ["cycle", "phase"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "phase"], name="assessments_test_phase_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="assessments_test_closes_after_opens",
            ),
        ]

    def __str__(self):
        return f"{self.cycle} — {self.get_phase_display()}"


class FormAssignment(models.Model):
    """Counterbalancing: which form a participant takes before (the other one comes after)."""

    cycle = models.ForeignKey(
        "training.Cycle", on_delete=models.CASCADE, related_name="form_assignments"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    pre_form = models.CharField(max_length=1, choices=TestForm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"], name="assessments_assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.participant_id}: {self.pre_form} before"

    def form_for(self, phase: str) -> str:
        if phase == Phase.PRE:
            return self.pre_form
        return TestForm.B if self.pre_form == TestForm.A else TestForm.A


class Attempt(TimeStampedModel):
    """One participant's single attempt at one test."""

    test = models.ForeignKey(
        Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    form = models.CharField(_("form"), max_length=1, choices=TestForm.choices)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["test", "participant"], name="assessments_attempt_unique"
            )
        ]

    def __str__(self):
        return f"{self.participant} — {self.test}"

    @property
    def overall(self) -> float | None:
        return (self.scores or {}).get("overall")


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    selected = models.JSONField(default=list)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="assessments_answer_unique"
            )
        ]

    # --- anonymous surveys ----------------------------------------------------------------------------------

    def __str__(self):
        return f"{self.attempt_id}:{self.question_id}"


class SurveyKind(models.TextChoices):
    SESSION = "session", _("Session satisfaction")
    CYCLE = "cycle", _("Cycle satisfaction")
    FOLLOW_UP = "follow_up", _("Follow-up (three months later)")


class Survey(TimeStampedModel):
    cycle = models.ForeignKey(
        "training.Cycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="surveys"
    )
    session = models.ForeignKey(
        "training.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        blank=True,
        help_text=_("Stable identifier within the cycle, used by content files."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    title = models.CharField(_("title"), max_length=250)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        ordering = ["cycle", "opens_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "key"],
                condition=~models.Q(key=""),
                name="assessments_survey_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="assessments_survey_closes_after_opens",
            ),
        ]

    def __str__(self):
        return self.title


class SurveyQuestionKind(models.TextChoices):
    LIKERT = "likert", _("Scale from 1 to 5")
    TEXT = "text", _("Open comment")


class SurveyTemplate(TimeStampedModel):
    """A reusable set of survey questions (content: content/assessments/surveys/*.yaml). A
    coordinator makes a cycle's survey from one; its questions are copied, so editing the
    content later changes no survey already made."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SurveyKind.values),
                name="assessments_survey_template_kind_valid",
            ),
        ]

    def __str__(self):
        return self.title


class QuestionOfASurvey(models.Model):
    """What a survey question is, in a template or in a cycle's survey (copied from its
    template)."""

    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=8, choices=SurveyQuestionKind.choices)
    text = models.TextField(_("question"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]


class SurveyTemplateQuestion(QuestionOfASurvey):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionOfASurvey.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"], name="assessments_template_question_unique"
            )
        ]

    def __str__(self):
        return f"{self.template_id}:{self.key}"


class SurveyQuestion(QuestionOfASurvey):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionOfASurvey.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"], name="assessments_survey_question_unique"
            )
        ]

    def __str__(self):
        return self.key


class SurveyCompletion(models.Model):
    """That someone answered, never what: kept apart from the responses, with no time of day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="completions")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    completed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"], name="assessments_completion_unique"
            )
        ]

    def __str__(self):
        return f"completion of survey {self.survey_id}"


class SurveyResponse(models.Model):
    """The answers, with no link to a person: a random id (no insertion order to line up with
    completions), the day only, and no profile field."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"response to survey {self.survey_id}"
