"""Masks personal data in log records before any handler writes them.

A filter on a logger sees only records logged to that very logger, not those its children pass
up; a filter on a handler sees every record the handler writes. So the filter goes on the root
logger's handlers: in Azure the Python worker has attached its gRPC handler there before it
imports `function_app`, and the local host has called `logging.basicConfig` by then. The patterns
are compiled on the first record (about 20 ms), not when `function_app` is imported.
"""

from __future__ import annotations

import logging


class MaskingFilter(logging.Filter):
    """Replaces the message (with its args merged in) and any traceback text by their masked form."""

    def filter(self, record: logging.LogRecord) -> bool:
        from shared.privacy.mask import mask

        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # logging would print the raw args to stderr: withhold them
            message = f"{record.msg} (arguments that do not fit the message withheld)"
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install_log_masking(logger: logging.Logger | None = None) -> None:
    """Adds the filter to every handler of `logger` (the root logger by default), once each."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
