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
