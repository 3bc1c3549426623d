"""The text of an uploaded decision: plain text (UTF-8, UTF-16 or Windows-1256/1252), DOCX (its
paragraphs) or PDF with a text layer (no OCR: a scanned PDF has no text and is refused with a
message saying so)."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET  # noqa: S405 - parsing a DOCX body, entities disabled below

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_TYPE = _("Upload a .txt, .docx or .pdf file.")
ERROR_SIZE = _("The file is too large (at most %(mb)d MB).")
ERROR_UNREADABLE = _("The file cannot be read: %(reason)s")
ERROR_NO_TEXT = _(
    "The PDF has no text layer (a scan?). Himaya does not read scanned pages (no OCR): upload "
    "the decision as a text, DOCX or text PDF."
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_DOCX_XML = 20 * 1024 * 1024


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1256", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(ERROR_UNREADABLE % {"reason": "encoding"})


def _docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML:
                raise ValidationError(ERROR_SIZE % {"mb": MAX_DOCX_XML // 2**20})
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValidationError(ERROR_UNREADABLE % {"reason": "not a DOCX"}) from exc
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValidationError(ERROR_UNREADABLE % {"reason": "unexpected XML"})
    root = ET.fromstring(xml)  # noqa: S314 - no DTD or entities (refused above)
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{W}tab":
                parts.append("\t")
            elif node.tag == f"{W}br":
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ValidationError(ERROR_UNREADABLE % {"reason": "not a readable PDF"}) from exc
    if not text.strip():
        raise ValidationError(ERROR_NO_TEXT)
    return text


def text_of(upload) -> str:
    limit = int(getattr(settings, "CASES_MAX_UPLOAD_BYTES", 10 * 2**20))
    if upload.size > limit:
        raise ValidationError(ERROR_SIZE % {"mb": limit // 2**20})
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".txt"):
        return _decode(data)
    if name.endswith(".docx"):
        return _docx(data)
    if name.endswith(".pdf"):
        return _pdf(data)
    raise ValidationError(ERROR_TYPE)
