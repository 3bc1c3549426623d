"""HTML templates to PDF with WeasyPrint, with an embedded font that has Arabic glyphs.

WeasyPrint (through Pango and HarfBuzz) shapes Arabic and lays out right-to-left text."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML

    context = {
        **context,
        "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
        "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
        "rtl": translation.get_language_bidi(),
    }
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
