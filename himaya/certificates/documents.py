"""The certificate PDF (French, Arabic or English) with a QR code to its public page."""

import io
import zipfile

import segno
from django.urls import reverse
from django.utils import translation

from himaya.core.pdf import render_pdf


def verify_url(base_url: str, certificate) -> str:
    """The public address of the certificate's page; `base_url` is the site's root
    (`request.build_absolute_uri("/")`), kept by jobs that run without a request."""
    return base_url.rstrip("/") + reverse("verify", args=[certificate.code])


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1d2630")


def certificate_pdf(*, base_url: str, certificate) -> bytes:
    url = verify_url(base_url, certificate)
    with translation.override(certificate.language):
        return render_pdf(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "cycle": certificate.cycle,
                "holder": certificate.participant,
                "partners": list(certificate.cycle.programme.partners.all()),
                "verify_url": url,
                "qr": qr_svg_data_uri(url),
                "LANGUAGE_CODE": certificate.language,
            },
        )


def certificates_zip(*, base_url: str, certificates, progress=None) -> bytes:
    buffer = io.BytesIO()
    total = len(certificates)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, certificate in enumerate(certificates, start=1):
            name = f"{certificate.participant.last_name}-{certificate.participant.first_name}-{certificate.code[:6]}.pdf"
            archive.writestr(
                name.replace("/", "-"), certificate_pdf(base_url=base_url, certificate=certificate)
            )
            if progress is not None:
                progress(done, total)
    return buffer.getvalue()
