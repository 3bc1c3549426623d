"""Reads of the bench book, each page in a fixed number of queries. Every read is of what
readers may see: placeholder provisions (Provision.placeholder) have no page and appear nowhere,
neither in contents lists and counts nor as the other side of a cross-reference."""

from collections import OrderedDict

from django.db.models import Count, Prefetch, Q

from himaya.training.models import Module

from .models import Concept, CrossReference, Instrument, Jurisdiction, Kind, Provision


def instruments_by_group():
    """National texts, international standards and case law, each in reading order."""
    instruments = Instrument.objects.annotate(
        provision_count=Count("provisions", filter=Q(provisions__placeholder=False))
    ).order_by("order")
    groups = OrderedDict((("national", []), ("international", []), ("cases", [])))
    for instrument in instruments:
        if instrument.kind == Kind.CASE:
            groups["cases"].append(instrument)
        elif instrument.jurisdiction == Jurisdiction.MOROCCO:
            groups["national"].append(instrument)
        else:
            groups["international"].append(instrument)
    return groups


def instrument_with_provisions(key: str):
    instrument = Instrument.objects.get(key=key)
    provisions = list(instrument.provisions.for_readers().order_by("position"))
    return instrument, provisions


def reader_keys(keys) -> set[str]:
    """Those of the given provision keys that have a page (known and not placeholders): other
    apps link to provisions by key and link only to these."""
    return set(
        Provision.objects.for_readers().filter(key__in=set(keys)).values_list("key", flat=True)
    )


def provision_page(key: str) -> Provision:
    """A provision readers may see (Provision.DoesNotExist for a placeholder)."""
    return (
        Provision.objects.for_readers()
        .select_related("instrument")
        .prefetch_related(
            "concepts",
            Prefetch("modules", queryset=Module.objects.select_related("axis")),
            Prefetch(
                "standards",
                queryset=CrossReference.objects.filter(
                    international__placeholder=False
                ).select_related("international__instrument"),
            ),
            Prefetch(
                "national_provisions",
                queryset=CrossReference.objects.filter(national__placeholder=False).select_related(
                    "national__instrument"
                ),
            ),
        )
        .get(key=key)
    )


def neighbours(provision: Provision):
    siblings = list(
        provision.instrument.provisions.for_readers()
        .order_by("position")
        .values_list("key", "number")
    )
    keys = [k for k, _n in siblings]
    index = keys.index(provision.key)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following


def related_cases(provision: Provision):
    """Case digests that share a concept with this provision."""
    concept_ids = [c.pk for c in provision.concepts.all()]
    if not concept_ids:
        return []
    return list(
        Provision.objects.for_readers()
        .filter(instrument__kind=Kind.CASE, number="", concepts__in=concept_ids)
        .exclude(pk=provision.pk)
        .select_related("instrument")
        .distinct()
        .order_by("instrument__order")[:6]
    )


def conformity_matrix():
    """Rows: international standards; cells: the national provisions set against each, with
    the relation. Standards with only gaps show where Moroccan law falls short."""
    refs = list(
        CrossReference.objects.filter(national__placeholder=False, international__placeholder=False)
        .select_related("national__instrument", "international__instrument")
        .order_by("international__instrument__order", "international__position", "position")
    )
    rows: OrderedDict = OrderedDict()
    for ref in refs:
        rows.setdefault(ref.international, []).append(ref)
    return rows


def concepts_with_counts():
    return Concept.objects.annotate(
        provision_count=Count("provisions", filter=Q(provisions__placeholder=False))
    ).order_by("key")


def concept_page(key: str):
    concept = Concept.objects.get(key=key)
    provisions = list(
        concept.provisions.for_readers()
        .select_related("instrument")
        .order_by("instrument__order", "position")
    )
    return concept, provisions
