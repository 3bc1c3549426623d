"""Reads of the case library. Reading an original is audited."""

from himaya.core import authz
from himaya.core.reading import audit_read

from .models import CaseDocument


def read_original(*, user, pk) -> CaseDocument:
    """The document with its original text, for its uploader or a reviewer (403 otherwise);
    the read is an audit event."""
    document = authz.fetch(user, CaseDocument, "casestudies.read_original", pk=pk)
    audit_read(actor=user, target=document)
    return document


def vignettes_of(case) -> list[dict]:
    """The risk-aid practice vignettes built on this case (content/tools/vignettes/ with
    `case: <key>`): the file as it stood when measures had to be decided."""
    from himaya.tools import catalogue

    aid = catalogue.risk_aid() or {}
    levels = catalogue.by_key(aid.get("levels", []))
    return [
        {**v, "level": levels.get(v["expected_level"], {})}
        for v in catalogue.vignettes()
        if v.get("case") == case.key
    ]
