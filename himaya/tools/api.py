"""Public API of the measure selector: GET /api/v1/tools/measures."""

from django.http import JsonResponse
from django.utils import translation
from ninja import Query, Router, Schema

from himaya.core.languages import LANGUAGE_CODES

from . import selection

router = Router(tags=["tools"])


class MeasureParams(Schema):
    stage: str = ""
    offence: str = ""
    relationship: str = "none"
    victim_request: bool = False
    children: bool = False
    lang: str | None = None


class Named(Schema):
    key: str
    title: str


class Warning(Schema):
    key: str
    text: str


class MeasureOut(Schema):
    key: str
    category: str
    title: str
    provision: str
    related: list[str]
    authorities: list[Named]
    duration: str
    conditions: str
    breach_provision: str | None
    breach_penalty: str
    verification: str
    warnings: list[Warning]
    provision_label: str
    breach_label: str


class ComparativeOut(Schema):
    key: str
    title: str
    jurisdiction: str
    summary: str
    source: str


class MeasuresOut(Schema):
    measures: list[MeasureOut]
    comparative: list[ComparativeOut]


class ErrorOut(Schema):
    detail: str
    code: str


@router.get(
    "/measures",
    response={200: MeasuresOut, 422: ErrorOut},
    auth=None,
    summary="Protection measures Moroccan law allows at a stage of the case (public)",
)
def measures(request, params: Query[MeasureParams]):
    language = params.lang if params.lang in LANGUAGE_CODES else None
    with translation.override(language or translation.get_language() or "fr"):
        case = selection.Case(
            stage=params.stage,
            offence=params.offence,
            relationship=params.relationship,
            children=params.children,
            victim_request=params.victim_request,
        )
        try:
            return selection.select(case, language=language)
        except selection.SelectionError as exc:
            return JsonResponse({"detail": exc.message, "code": exc.code}, status=422)
