from django.utils import timezone

from himaya.core.pdf import render_pdf


def signature_sheet_pdf(*, request, session, rows) -> bytes:
    """A printable signature sheet: one line per participant, names in both scripts."""
    return render_pdf(
        "training/signature_sheet.html",
        {
            "session": session,
            "cycle": session.cycle,
            "rows": rows,
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
