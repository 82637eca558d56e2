"""Numbers that are not personal data and must survive masking: dates, times, prices, order ids."""

from __future__ import annotations

import re

# A date neither follows a "+" nor goes on with more groups: "+61.3.6167.5136" is a phone number.
_DATE = (r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b"
         r"|(?<![+\d.])\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b(?![./]\d)")
_TIME = r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"
# Bounded repeats: a pattern that may scan to the end of a long run from every start is quadratic.
_MONEY = (r"[$€£¥]\s?\d[\d,.]{0,15}(?:\s?[km]\b)?|\b\d[\d,.]{0,15}\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b"
          r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+\.\d{2}\b")
# A prefix, a hyphen and an identifier with a digit in it: ord-3f2a9c81, INV-2024-0042, SKU-12345.
_ID = r"\b[a-z]{2,5}[-_#](?=[\w-]{0,40}\d)[0-9a-f][\w-]{3,}\b"

KEEP = re.compile("|".join((_DATE, _TIME, _MONEY, _ID)), re.IGNORECASE)


def kept_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in KEEP.finditer(text)]
