"""The facts a caller states to be verified, read from what they said: postal code, date of birth, order number."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from shared.agents.numbers import in_digits

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
    # "march seventeen ninety three": a day and a year of the 1900s said without "nineteen"
    re.compile(rf"\b{_MONTH}\s+(?!(?:19|20)\d{{2}}\b)(?P<day>[1-3]?\d)(?P<year>[2-9]\d)\b", re.I),
]
_CODE = (r"(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{3}-\d{4}|\d{3}\s\d{2}(?!\d)"
         r"|\d{5}-\d{4}|\d{4,7})")  # UK, Canada, Japan, Sweden, ZIP+4, then digits only
_NAMED = r"(?:postal\s*code|post\s*code|postcode|zip(?:\s*code)?|pin\s*code|pincode|pin|plz|code\s*postal|postal)"
POSTAL_CODE = [re.compile(rf"\b{_NAMED}(?:'s)?\s*(?:is|:)?\s*{_CODE}\b", re.I),
               re.compile(rf"\b{_CODE}\s*(?:is\s*(?:my|the)\s*)?{_NAMED}\b", re.I)]
_BARE_CODE = re.compile(rf"(?<![\w/.-]){_CODE}(?![\w/.-])", re.I)
_SPELLED = re.compile(r"\b[a-z0-9]{1,2}(?: [a-z0-9]{1,2}\b){2,}", re.I)  # "n w 16 x e"
# The small ordinals text2num leaves as words ("second" may be a unit of time): read as a day beside a month.
ORDINALS = {word: day for day, word in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                                   "eighth", "ninth"), start=1)}
_ORDINAL = "(?P<ordinal>" + "|".join(ORDINALS) + ")"
ORDINAL_DAY = [re.compile(rf"\b(?P<before>{_MONTH}\s+(?:the\s+)?){_ORDINAL}\b", re.I),
               re.compile(rf"\b(?:the\s+)?{_ORDINAL}(?P<after>\s+(?:of\s+)?{_MONTH})", re.I)]
# As typed ("pur-9c0d1e2f") or as read back in groups and repeated ("pur 9c0d 1e2f", "ord-3f2a 9c1b ...").
ORDER_NUMBER = re.compile(r"\b(?P<number>(?:pur|ord)(?:\s*-\s*|\s+)"
                          r"(?:[0-9a-f]{4}(?:\s[0-9a-f]{4}){1,3}|[0-9a-f]{4,16}))\b", re.I)


def _ordinal_days(text: str) -> str:
    """"december first 1982" -> "december 1 1982", "the third of may" -> "3 of may"."""
    for pattern in ORDINAL_DAY:
        text = pattern.sub(lambda m: (m.groupdict().get("before") or "") + str(ORDINALS[m.group("ordinal").lower()])
                           + (m.groupdict().get("after") or ""), text)
    return text


def date_in(text: str) -> date | None:
    text = _ordinal_days(text)
    for pattern in DATES:
        for found in pattern.finditer(text):
            month = found.group("month")
            month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
            try:
                year = int(found.group("year"))
                return date(year + 1900 if year < 100 else year, month_number, int(found.group("day")))
            except ValueError:
                continue
    return None


def postal_code_in(text: str, named_only: bool = True) -> str | None:
    """A postal code the caller names as one ("my zip is ..."), or, unless `named_only`, any code-like token."""
    text = _SPELLED.sub(lambda m: m.group(0).replace(" ", ""), in_digits(text))
    for pattern in POSTAL_CODE if named_only else [*POSTAL_CODE, _BARE_CODE]:
        if found := pattern.search(text):
            code = found.group("code").upper()
            if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|[A-Z]\d[A-Z]\d[A-Z]\d", code):
                code = f"{code[:-3]} {code[-3:]}"  # a UK or Canadian code said without its space
            return code
    return None


def caller_facts(text: str, expecting: bool = False) -> dict[str, Any]:
    """The verification facts named in `text`, as verify_caller's arguments (ISO date); `expecting`: the caller
    was just asked for them, so a code said without naming it counts as the postal code."""
    facts: dict[str, Any] = {}
    born = date_in(in_digits(text))
    order = order_number_in(text)
    rest = ORDER_NUMBER.sub(" ", _without_dates(in_digits(text)))
    if postal := postal_code_in(rest, named_only=not (expecting or born or order)):
        facts["postal_code"] = postal
    if born:
        facts["date_of_birth"] = born.isoformat()
    if order:
        facts["order_number"] = order
    return facts


def order_number_in(text: str) -> str | None:
    """An order number in `text`, as the tools take it: "PUR 9c0d 1e2f" -> "pur-9c0d1e2f"."""
    found = ORDER_NUMBER.search(text)
    if found is None:
        return None
    said = found.group("number").lower()
    return said[:3] + "-" + re.sub(r"[\s-]", "", said[3:])


def _without_dates(text: str) -> str:
    for pattern in DATES:
        text = pattern.sub(" ", text)
    return text
