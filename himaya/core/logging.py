"""Logging helpers."""

import logging


class QuietForbiddenFilter(logging.Filter):
    """Drop the traceback of refused requests (403): Django logs every PermissionDenied with
    its stack, which buries real errors under expected refusals. The one-line warning stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
