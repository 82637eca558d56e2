"""Email addresses, written ("john.smith@gmail.com") or spoken ("john dot smith at gmail dot com")."""

from __future__ import annotations

import re

# A spoken address ends in a real top-level domain, which keeps "meet me at noon dot" out.
_TLDS = ("com|net|org|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|us|uk|de|fr|es|it|nl|be|ch|at|ie|pt|pl|se|no|"
         "dk|fi|cz|gr|ca|au|nz|jp|cn|in|br|mx|ar|za|ru|eu|online|shop|tech|email")
_LABEL = r"[a-z0-9](?:[a-z0-9_%+\-]*[a-z0-9])?"
_DOT = r"(?:\s*\.\s*|\s+dot\s+)"
_JOIN = r"(?:\.|_|-|\+|\s+(?:dot|underscore|dash|hyphen|plus)\s+)"
_AT = r"(?:\s*@\s*|\s+at\s+)"

EMAIL = re.compile(
    rf"(?<![\w.@-]){_LABEL}(?:{_JOIN}{_LABEL})*{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?:{_TLDS})\b",
    re.IGNORECASE,
)


def email_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in EMAIL.finditer(text)]
