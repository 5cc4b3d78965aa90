"""Logging filters: an expected refusal (403, 404) is one line, not a traceback."""

import logging


class OneLineRefusals(logging.Filter):
    """Drop the traceback Django attaches to 4xx responses on the django.request logger;
    keep one line with the reason ("Forbidden (Permission denied): /reviews/3/ (Only ...)")."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            reason = record.exc_info[1]
            message = record.getMessage()
            record.msg = f"{message} ({reason})" if reason is not None and str(reason) else message
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
