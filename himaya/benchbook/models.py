import re

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from himaya.core.models import TimeStampedModel


class Kind(models.TextChoices):
    CONSTITUTION = "constitution", _("Constitution")
    CODE = "code", _("Code")
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    TREATY = "treaty", _("Treaty")
    GENERAL_RECOMMENDATION = "general_recommendation", _("General recommendation")
    DECLARATION = "declaration", _("Declaration")
    RESOLUTION = "resolution", _("Resolution")
    CASE = "case", _("Case")


class Jurisdiction(models.TextChoices):
    MOROCCO = "morocco", _("Morocco")
    UN = "un", _("United Nations")
    CEDAW_COMMITTEE = "cedaw_committee", _("CEDAW Committee")
    COUNCIL_OF_EUROPE = "council_of_europe", _("Council of Europe")
    ECTHR = "ecthr", _("European Court of Human Rights")


class MoroccoStatus(models.TextChoices):
    NATIONAL = "national", _("Moroccan law")
    RATIFIED = "ratified", _("Ratified by Morocco")
    ACCEDED = "acceded", _("Acceded to by Morocco")
    NOT_PARTY = "not_party", _("Morocco is not a party")
    PERSUASIVE = "persuasive", _("Persuasive only")


class Verification(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    TO_VERIFY = "to_verify", _("To verify")


class Form(models.TextChoices):
    PHYSICAL = "physical", _("Physical violence")
    SEXUAL = "sexual", _("Sexual violence")
    PSYCHOLOGICAL = "psychological", _("Psychological violence")
    ECONOMIC = "economic", _("Economic violence")
    HARASSMENT = "harassment", _("Harassment")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    PRIVACY_IMAGES = "privacy_images", _("Privacy and images")
    FAMILY = "family", _("Family")


class Stage(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INVESTIGATION = "investigation", _("Investigation")
    PROTECTION_MEASURES = "protection_measures", _("Protection measures")
    TRIAL_EVIDENCE = "trial_evidence", _("Trial and evidence")
    SENTENCING = "sentencing", _("Sentencing")
    EXECUTION = "execution", _("Execution of sentences")
    FAMILY_PROCEEDINGS = "family_proceedings", _("Family proceedings")


class Relation(models.TextChoices):
    IMPLEMENTS = "implements", _("Implements")
    PARTLY_IMPLEMENTS = "partly_implements", _("Partly implements")
    GAP = "gap", _("Gap")
    COMPARE = "compare", _("Compare")


class Instrument(TimeStampedModel):
    """A legal text or a case: a code, a law, a treaty, a recommendation, a judgment."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=32, choices=Jurisdiction.choices)
    title = models.CharField(_("title"), max_length=400)
    short_title = models.CharField(_("short title"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    dates = models.JSONField(_("other dates"), default=list, blank=True)
    morocco_status = models.CharField(
        _("status for Morocco"), max_length=16, choices=MoroccoStatus.choices
    )
    morocco_status_date = models.DateField(_("date of that status"), null=True, blank=True)
    morocco_status_note = models.TextField(_("note on the status"), blank=True)
    official_source = models.TextField(_("official source"), blank=True)
    source_url = models.URLField(_("source address"), blank=True, max_length=500)
    verification = models.CharField(_("verification"), max_length=16, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="benchbook_instrument_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(verification__in=Verification.values),
                name="benchbook_instrument_verification_valid",
            ),
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def is_national(self) -> bool:
        return self.jurisdiction == Jurisdiction.MOROCCO


ADDED_ARTICLE = re.compile(r"\d+(?:-\d+)+")


def official_number(number: str, language: str | None = None) -> str:
    """ "88-1" → «1-88», "82-5-2" → «2-5-82» in French and Arabic; unchanged in English and for
    any other numbering (international instruments, paragraphs)."""
    language = (language or get_language() or "fr")[:2]
    if language == "en" or not ADDED_ARTICLE.fullmatch(number or ""):
        return number
    return "-".join(reversed(number.split("-")))


class Concept(TimeStampedModel):
    """A thesaurus entry: the preferred term and its synonyms in the three languages."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    terms = models.JSONField(
        _("terms"),
        default=dict,
        help_text=_("Synonyms by language: {fr: [...], ar: [...], en: [...]}"),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self):
        return self.label


class ProvisionQuerySet(models.QuerySet):
    def for_readers(self):
        """The provisions readers may see: placeholders (entries with nothing yet to say beyond
        a sentence) are kept for the keys other content refers to, but have no page, no place in
        contents lists, search or the API, and nothing links to them."""
        return self.filter(placeholder=False)


class Provision(TimeStampedModel):
    """An article, paragraph or case digest; or an instrument's overview (empty number)."""

    key = models.CharField(_("key"), max_length=160, unique=True)
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        related_name="provisions",
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    aliases = models.JSONField(_("other written forms"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)
    practical_note = models.TextField(_("practical note for judges"), blank=True)
    facts = models.TextField(_("facts"), blank=True)
    holding = models.TextField(_("holding"), blank=True)
    principle = models.TextField(_("principle"), blank=True)
    relevance = models.TextField(_("why it matters to a Moroccan judge"), blank=True)
    forms = models.JSONField(_("forms of violence"), default=list, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    verification = models.CharField(_("verification"), max_length=16, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)
    number_disputed = models.BooleanField(_("number disputed"), default=False)
    source = models.TextField(_("source"), blank=True)
    placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Hidden from readers until it has content of its own."),
    )
    concepts = models.ManyToManyField(
        Concept, verbose_name=_("concepts"), blank=True, related_name="provisions"
    )
    modules = models.ManyToManyField(
        "training.Module", verbose_name=_("training modules"), blank=True, related_name="provisions"
    )
    # The provision's document in the shared search index (himaya.core.search), removed with it.
    search_documents = GenericRelation("core.SearchDocument")

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument__order", "position"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verification__in=Verification.values),
                name="benchbook_provision_verification_valid",
            ),
            models.UniqueConstraint(
                fields=["instrument", "number"], name="benchbook_provision_number_unique"
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def shown_number(self) -> str:
        """The number as the reader's language writes it: an article added to a Moroccan code
        is «1-88» in French and Arabic (the official texts' order), "88-1" in English."""
        return official_number(self.number)

    @property
    def other_forms(self) -> list[str]:
        """The other ways the number is written (the order not used in the reader's language,
        and the recorded aliases), without the one shown."""
        shown = self.shown_number
        forms = [self.number, *self.aliases] if self.number else list(self.aliases)
        return [f for f in dict.fromkeys(forms) if f and f != shown]

    @property
    def is_overview(self) -> bool:
        return not self.number

    @property
    def is_case(self) -> bool:
        return self.instrument.kind == Kind.CASE


class CrossReference(TimeStampedModel):
    """A national provision set against an international standard."""

    national = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="standards")
    international = models.ForeignKey(
        Provision, on_delete=models.CASCADE, related_name="national_provisions"
    )
    relation = models.CharField(_("relation"), max_length=24, choices=Relation.choices)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cross-reference")
        verbose_name_plural = _("cross-references")
        constraints = [
            models.UniqueConstraint(
                fields=["national", "international"], name="benchbook_crossref_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=Relation.values),
                name="benchbook_crossref_relation_valid",
            ),
        ]

    def __str__(self):
        return f"{self.national} ↔ {self.international} ({self.relation})"
