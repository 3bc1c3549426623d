"""The certificate PDF (French, Arabic, English, or French and Arabic side by side) with the
hours of training, the signatories, the partners, and a QR code to its public page.

The language is the holder's choice at the time of download (`certificate_language`), not the
one of the day of issue: the code and the QR code do not depend on it."""

import io
import math
import zipfile

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from himaya.core.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from himaya.core.pdf import render_pdf

from . import selectors, services

TEMPLATE = "certificates/certificate_pdf.html"
BILINGUAL = "fr-ar"
CERTIFICATE_LANGUAGES = (*LANGUAGE_CODES, BILINGUAL)


def certificate_language(person) -> str:
    """The language a person's certificates are printed in: their own choice
    (`certificate_language`, blank for their preferred language), "fr-ar" for both."""
    chosen = getattr(person, "certificate_language", "") or ""
    if chosen in CERTIFICATE_LANGUAGES:
        return chosen
    preferred = getattr(person, "preferred_language", "") or ""
    return preferred if preferred in LANGUAGE_CODES else DEFAULT_LANGUAGE


def verify_url(base_url: str, certificate) -> str:
    """The public address of the certificate's page; `base_url` is the site's root
    (`request.build_absolute_uri("/")`), kept by jobs that run without a request."""
    return base_url.rstrip("/") + reverse("verify", args=[certificate.code])


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1d2630")


def _signers(signatories, language: str) -> list[dict]:
    return [{"name": s.name_in(language), "title": s.title_in(language)} for s in signatories]


def cycle_material(cycle) -> dict:
    """What every certificate of a cycle shares (hours, signatories, partners), read once for
    a whole ZIP."""
    return {
        "hours": selectors.training_hours(cycle=cycle),
        "signatories": services.signatories_of(cycle),
        "partners": list(cycle.programme.partners.all()),
    }


def certificate_context(
    *, base_url: str, certificate, language: str = "", material=None
) -> tuple[str, dict]:
    """(the language the page is rendered in, the template's context) of a certificate in
    `language` (the holder's choice when blank or unknown)."""
    language = language if language in CERTIFICATE_LANGUAGES else ""
    language = language or certificate_language(certificate.participant)
    material = material or cycle_material(certificate.cycle)
    url = verify_url(base_url, certificate)
    hours = material["hours"]
    faces = ["fr", "ar"] if language == BILINGUAL else [language]
    return faces[0], {
        "certificate": certificate,
        "cycle": certificate.cycle,
        "holder": certificate.participant,
        "partners": material["partners"],
        "faces": [
            {"lang": face, "signers": _signers(material["signatories"], face)} for face in faces
        ],
        "bilingual": language == BILINGUAL,
        "hours": hours,
        # The plural form of a number of hours (1,5 heure, 12 heures): its ceiling.
        "hours_count": math.ceil(hours),
        "verify_url": url,
        "qr": qr_svg_data_uri(url),
        "LANGUAGE_CODE": faces[0],
    }


def certificate_html(**kwargs) -> str:
    """The certificate's HTML, as the PDF is made of (for tests and previews)."""
    page_language, context = certificate_context(**kwargs)
    with translation.override(page_language):
        context["rtl"] = translation.get_language_bidi()
        return render_to_string(TEMPLATE, context)


def certificate_pdf(*, base_url: str, certificate, language: str = "", material=None) -> bytes:
    """The certificate's PDF in `language` (the holder's choice when blank)."""
    page_language, context = certificate_context(
        base_url=base_url, certificate=certificate, language=language, material=material
    )
    with translation.override(page_language):
        return render_pdf(TEMPLATE, context)


def certificates_zip(*, base_url: str, certificates, progress=None) -> bytes:
    buffer = io.BytesIO()
    total = len(certificates)
    materials = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, certificate in enumerate(certificates, start=1):
            if certificate.cycle_id not in materials:
                materials[certificate.cycle_id] = cycle_material(certificate.cycle)
            name = f"{certificate.participant.last_name}-{certificate.participant.first_name}-{certificate.code[:6]}.pdf"
            archive.writestr(
                name.replace("/", "-"),
                certificate_pdf(
                    base_url=base_url,
                    certificate=certificate,
                    material=materials[certificate.cycle_id],
                ),
            )
            if progress is not None:
                progress(done, total)
    return buffer.getvalue()
