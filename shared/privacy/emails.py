"""Email addresses, written ("john.smith@gmail.com") or spoken ("john dot smith at gmail dot com")."""

from __future__ import annotations

import re

from shared.privacy.digits import NUMBER_WORDS

# A spoken address ends in a common top-level domain, which keeps "meet me at noon dot" out; a
# written one, with its "@", may end in any.
_TLDS = ("com|net|org|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|us|uk|de|fr|es|it|nl|be|ch|at|ie|pt|pl|se|no|"
         "dk|fi|cz|gr|ca|au|nz|jp|cn|in|br|mx|ar|za|ru|eu|online|shop|tech|email")
# Words and the joins between them never share a character, so no text splits two ways: a long run
# of "1-1-1-..." costs linear time, not exponential.
_WORD = r"[a-z0-9]+(?:'[a-z0-9]+)?"  # "o'neill"
_JOIN = r"(?:[._%+\-]|\s+(?:dot|underscore|dash|hyphen|plus)\s+)"
_SPOKEN_DIGITS = rf"(?:\s+(?:{'|'.join(NUMBER_WORDS)})\b){{0,6}}"  # "patel eighty seven at ..."
_AT = r"(?:\s*@\s*|\s+at\s+)"
_LABEL = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_DOT = r"(?:\.|\s+dot\s+)"  # "I'm now at C. de ..." is no address

_WRITTEN = r"(?<![\w.@-])[a-z0-9._%+'\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63})*\.[a-z]{2,24}\b"
_SPOKEN = rf"(?<![\w.@-]){_WORD}(?:{_JOIN}{_WORD})*{_SPOKEN_DIGITS}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?:{_TLDS})\b"
EMAIL = re.compile(f"{_WRITTEN}|{_SPOKEN}", re.IGNORECASE)


def email_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in EMAIL.finditer(text)]
