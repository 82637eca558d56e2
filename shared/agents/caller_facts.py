"""The facts a caller states to be verified, read from what they said: postal code, date of birth, order number."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
DATES = [
    re.compile(rf"\b{_YEAR}-(?P<month>\d{{1,2}})-{_DAY}\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<month>\d{{1,2}})/{_DAY}/{_YEAR}\b"),  # month first, as US callers write it
]
POSTAL_CODE = re.compile(r"\b(?:postal\s*code|post\s*code|postcode|zip(?:\s*code)?)\s*(?:is|:)?\s*"
                         r"(?P<code>[A-Z0-9]{2,5}(?: \d[A-Z]{2}|-\d{4})?)\b", re.I)  # a UK inward code, a ZIP+4
ORDER_NUMBER = re.compile(r"\b(?P<number>(?:pur|ord)-[0-9a-f]{4,16})\b", re.I)


def date_in(text: str) -> date | None:
    for pattern in DATES:
        for found in pattern.finditer(text):
            month = found.group("month")
            month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
            try:
                return date(int(found.group("year")), month_number, int(found.group("day")))
            except ValueError:
                continue
    return None


def caller_facts(text: str) -> dict[str, Any]:
    """The verification facts named in `text`, as verify_caller's arguments (ISO date)."""
    facts: dict[str, Any] = {}
    if postal := POSTAL_CODE.search(text):
        facts["postal_code"] = postal.group("code")
    if born := date_in(text):
        facts["date_of_birth"] = born.isoformat()
    if order := ORDER_NUMBER.search(text):
        facts["order_number"] = order.group("number").lower()
    return facts
