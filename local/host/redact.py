"""Keeps keys and tokens out of the host's output.

Everything the host process writes to stdout and stderr (its log lines, uvicorn's, tracebacks,
`print` in user code) passes through `RedactingStream`, which masks the values of `code=`,
`AccountKey=`, the key and token headers, and any known secret wherever it appears.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable
from typing import TextIO

MASK = "***"
PATTERNS = (
    re.compile(r"(?i)(\bcode=)[^&\s'\"<>;,)]+"),
    re.compile(r"(?i)(\bAccountKey=)[^;\s'\"]+"),
    # As headers (`x-functions-key: v`), dict reprs (`'x-functions-key': 'v'`) or query parameters.
    re.compile(r"(?i)(\bx-(?:functions-key|service-key|session-token)['\"]?\s*[:=]\s*['\"]?)[^'\"\s,;&}]+"),
)


SECRET_SETTING = re.compile(r"(?i)KEY|TOKEN|SECRET|PASSWORD|CONNECTION")


class Redactor:
    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is masked whole.
        known = {*self._secrets, *(s for s in secrets if len(s) >= 8)}
        self._secrets = sorted(known, key=len, reverse=True)

    def add_settings(self, settings: dict[str, str]) -> None:
        """The values of app settings whose names say they are secret (`*_KEY`, `*_TOKEN`...)."""
        self.add(value for name, value in settings.items() if SECRET_SETTING.search(name))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for pattern in PATTERNS:
            text = pattern.sub(lambda found: found[1] + MASK, text)
        return text


class RedactingStream:
    """A text stream that masks each write, line by line, before passing it on."""

    def __init__(self, inner: TextIO, redactor: Redactor) -> None:
        self._inner = inner
        self._redact = redactor
        self._pending = ""
        self._lock = threading.Lock()  # functions print from the worker threads

    def write(self, text: str) -> int:
        # A secret split over two writes (print writes the text, then the newline) is still
        # caught: only complete lines go out, the rest waits for its newline or a flush.
        with self._lock:
            self._pending += text
            complete, newline, self._pending = self._pending.rpartition("\n")
            if newline:
                self._inner.write(self._redact(complete + newline))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._inner.write(self._redact(self._pending))
                self._pending = ""
        self._inner.flush()

    def __getattr__(self, name: str) -> object:  # fileno, isatty, encoding...
        return getattr(self._inner, name)


def redact_process_output() -> Redactor:
    """Routes this process's stdout and stderr through a redactor; add the secrets as they are read."""
    redactor = Redactor()
    sys.stdout = RedactingStream(sys.stdout, redactor)  # type: ignore[assignment]
    sys.stderr = RedactingStream(sys.stderr, redactor)  # type: ignore[assignment]
    return redactor
