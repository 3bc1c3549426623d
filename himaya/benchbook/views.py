"""Public pages of the bench book: legal information needs no sign-in."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from himaya.core import registry
from himaya.core.pdf import render_pdf

from . import search, selectors
from .forms import SearchForm
from .models import Concept, Form, Instrument, Provision, Stage


def _public(view):
    return login_not_required(require_GET(view))


@_public
def home(request):
    return render(
        request,
        "benchbook/home.html",
        {
            "groups": selectors.instruments_by_group(),
            "form": SearchForm(),
            "concepts": selectors.concepts_with_counts(),
        },
    )


@_public
def search_page(request):
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data.get("q"):
        data = form.cleaned_data
        result = search.search(
            data["q"],
            language=request.LANGUAGE_CODE,
            limit=30,
            filters={k: data.get(k) for k in ("instrument", "kind", "form", "stage")},
        )
    template = "benchbook/_results.html" if request.GET.get("partial") else "benchbook/search.html"
    return render(request, template, {"form": form, "result": result})


@_public
def instrument_detail(request, key):
    try:
        instrument, provisions = selectors.instrument_with_provisions(key)
    except Instrument.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request, "benchbook/instrument.html", {"instrument": instrument, "provisions": provisions}
    )


@_public
def provision_detail(request, key):
    try:
        provision = selectors.provision_page(key)
    except Provision.DoesNotExist as exc:
        raise Http404 from exc
    previous, following = selectors.neighbours(provision)
    return render(
        request,
        "benchbook/provision.html",
        {
            "provision": provision,
            "instrument": provision.instrument,
            "previous": previous,
            "following": following,
            "cases": selectors.related_cases(provision),
            "form_labels": [str(Form(f).label) for f in provision.forms if f in Form.values],
            "stage_labels": [str(Stage(s).label) for s in provision.stages if s in Stage.values],
            "tool_links": registry.object_links(registry.PROVISION_PAGE, request.user, provision),
        },
    )


@_public
def matrix(request):
    return render(request, "benchbook/matrix.html", {"rows": selectors.conformity_matrix()})


@_public
def matrix_pdf(request):
    pdf = render_pdf(
        "benchbook/matrix_pdf.html",
        {"rows": selectors.conformity_matrix(), "printed_at": timezone.localtime()},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="himaya-conformity-matrix-{request.LANGUAGE_CODE}.pdf"'
    )
    return response


@_public
def concept_list(request):
    return render(
        request, "benchbook/concepts.html", {"concepts": selectors.concepts_with_counts()}
    )


@_public
def concept_detail(request, key):
    try:
        concept, provisions = selectors.concept_page(key)
    except Concept.DoesNotExist as exc:
        raise Http404 from exc
    page = Paginator(provisions, 50).get_page(request.GET.get("page"))
    return render(request, "benchbook/concept.html", {"concept": concept, "page": page})
