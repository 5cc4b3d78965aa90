"""JSON log lines (LOG_FORMAT=json): every record, ours and the libraries', as one JSON
object with timestamp, level, logger, event and what django-structlog binds to the request
(request_id, user_id, ip)."""

import structlog

PRE_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def json_formatter():
    """The logging formatter that renders a record as one JSON line."""
    structlog.configure(
        processors=[
            *PRE_CHAIN,
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=PRE_CHAIN,
    )
