"""Building blocks for the tools' tests: a filled-in aid as the browser posts it."""

from himaya.tools import catalogue

CASE = {
    "stage": "investigation",
    "offence": "ma-penal-code:404",
    "relationship": "spouse",
    "children": "1",
}


def aid_post(*, yes=(), no=(), phase="review", label="Dossier du mardi", **extra):
    """The aid's form: every factor 'unknown' unless named in yes / no."""
    aid = catalogue.risk_aid()
    data = {"phase": phase, "label": label, **CASE}
    for factor in catalogue.factors(aid):
        key = factor["key"]
        data[f"f_{key}"] = "yes" if key in yes else "no" if key in no else "unknown"
    data.update(extra)
    return data


def a_round(*, yes=("strangulation",), level="high", case=None, **kw):
    from himaya.tools import selection, services

    case = case or selection.Case(
        stage="investigation", offence="ma-penal-code:404", relationship="spouse", children=True
    )
    answers = dict.fromkeys(yes, "yes")
    return services.build_round(
        case=case,
        answers=answers,
        sources=kw.pop("sources", ["victim_account", "medical_evidence"]),
        level=level,
        level_reason=kw.pop("level_reason", ""),
        measures=kw.pop("measures", ["no_contact_during_proceedings"]),
        proportionality=kw.pop("proportionality", "Interdiction de contact : risque élevé."),
        **kw,
    )
