"""Numbers that are not personal data and must survive masking: dates, times, prices, order ids."""

from __future__ import annotations

import re

_DATE = r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
_TIME = r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"
_MONEY = (r"[$€£¥]\s?\d[\d,.]*(?:\s?[km]\b)?|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b"
          r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+\.\d{2}\b")
# A prefix, a hyphen and an identifier: ord-3f2a9c81, INV-2024-0042, SKU-12345.
_ID = r"\b[a-z]{2,5}[-_#][0-9a-f][\w-]{3,}\b"

KEEP = re.compile("|".join((_DATE, _TIME, _MONEY, _ID)), re.IGNORECASE)


def kept_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in KEEP.finditer(text)]
