import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from himaya.casestudies import extract


def test_plain_text_in_several_encodings():
    for data in ("قرار".encode("utf-16"), "Décision".encode("cp1252"), "قرار".encode()):
        assert extract.text_of(SimpleUploadedFile("d.txt", data)).strip() in ("قرار", "Décision")


def test_docx_paragraphs_and_a_refused_entity():
    def docx(xml):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", xml)
        return SimpleUploadedFile("d.docx", buffer.getvalue())

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"<w:document {ns}><w:body><w:p><w:r><w:t>Un</w:t></w:r></w:p><w:p><w:r><w:t>Deux</w:t></w:r></w:p></w:body></w:document>"
    assert extract.text_of(docx(xml)) == "Un\nDeux"
    evil = f'<!DOCTYPE x [<!ENTITY e "x">]><w:document {ns}><w:body/></w:document>'
    with pytest.raises(ValidationError):
        extract.text_of(docx(evil))
    with pytest.raises(ValidationError):
        extract.text_of(SimpleUploadedFile("d.docx", b"not a zip"))


def test_pdf_with_and_without_a_text_layer():
    from himaya.core.pdf import render_pdf

    data = render_pdf(
        "tools/checklist_pdf.html",
        {
            "checklist": {"title": {"fr": "Titre"}, "intro": {"fr": "Intro"}, "items": []},
            "record": None,
        },
    )
    assert "Titre" in extract.text_of(SimpleUploadedFile("d.pdf", data))
    from pypdf import PdfWriter

    empty = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(empty)
    with pytest.raises(ValidationError) as exc:
        extract.text_of(SimpleUploadedFile("scan.pdf", empty.getvalue()))
    assert "OCR" in str(exc.value)


def test_other_types_and_sizes_are_refused(settings):
    with pytest.raises(ValidationError):
        extract.text_of(SimpleUploadedFile("d.odt", b"x"))
    settings.CASES_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError):
        extract.text_of(SimpleUploadedFile("d.txt", b"x" * 100))
