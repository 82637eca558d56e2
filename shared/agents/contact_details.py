"""An email address or a phone number as callers say them: "j dot smith at example dot com", "oh two oh seven ..."."""

from __future__ import annotations

import re

from shared.agents.numbers import in_digits

TYPED = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_JOIN = r"\s+(?:dot|underscore|dash|hyphen|plus)\s+"
SPOKEN = re.compile(rf"\b(?P<local>[a-z0-9]+(?:{_JOIN}[a-z0-9]+)*)\s+at\s+"
                    r"(?P<domain>[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)+)\b", re.I)
WORDS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}
PHONE = re.compile(r"(?<![\w.])\+?\d[\d ().-]{3,}\d(?![\w.])")


def email_in(text: str) -> str | None:
    """The email address in `text`, typed or spoken, or None."""
    if typed := TYPED.search(text):
        return typed.group(0).rstrip(".").lower()
    spoken = SPOKEN.search(text)
    if spoken is None:
        return None
    said = f"{spoken.group('local')} at {spoken.group('domain')}"
    joined = re.sub(r"\s*\b(dot|underscore|dash|hyphen|plus)\b\s*", lambda m: WORDS[m.group(1).lower()], said,
                    flags=re.I)
    return re.sub(r"\s+at\s+", "@", joined).replace(" ", "").lower()


def phone_in(text: str) -> str | None:
    """The phone number in `text` (digits as written or said), as given: the tool makes it E.164."""
    found = PHONE.search(in_digits(text))
    return re.sub(r"[\s().-]", "", found.group(0)) if found else None
