"""Which runs of digits are phone numbers and which are payment cards.

A card has 13 to 19 digits, written in one run or in the groups cards print (4-4-4-4, Amex
4-6-5, Diners 4-6-4), and passes Luhn. A spoken one is masked even when Luhn fails, since
recognition may have misheard a digit, and so is one right after a word like "card". A phone
number is 7 to 15 digits (E.164) written the way phone numbers are written: with a "+", an area
code in parentheses, a leading trunk "0", a North American 3-3-4 shape, or right after a word like
"phone"; spoken, any 7 or more digits count unless they follow "order" or "reference".
"""

from __future__ import annotations

import re
from typing import Literal

from shared.privacy.digits import Run, luhn, runs

_CARD_CUE = re.compile(r"\b(?:card|visa|mastercard|amex|american express|credit|debit|cc)\b", re.IGNORECASE)
_PHONE_CUE = re.compile(r"\b(?:phone|mobile|cell|call|text|reach|dial|ring|landline|telephone|whatsapp|fax|"
                        r"number is|tel)\b", re.IGNORECASE)
_NOT_PHONE_CUE = re.compile(r"\b(?:order|reference|ref|confirmation|tracking|invoice|account|booking|case|"
                            r"ticket|serial|model|sku|policy)\b[^.?!]{0,20}$", re.IGNORECASE)
_NANP_SHAPES = ((3, 3, 4), (1, 3, 3, 4), (3, 4))
_CARD_SHAPES = ((4, 6, 5), (4, 6, 4))
_CUE_WINDOW = 40

Kind = Literal["card", "phone"]


def number_spans(text: str) -> list[tuple[int, int, Kind]]:
    found: list[tuple[int, int, Kind]] = []
    for run in runs(text):
        before = text[max(0, run.start - _CUE_WINDOW):run.start]
        kind = _kind(run, before)
        if kind:
            found.append((run.start, run.end, kind))
    return found


def _kind(run: Run, before: str) -> Kind | None:
    count = len(run.digits)
    if 13 <= count <= 19 and (run.spoken or _card_shaped(run.groups)) and (
            luhn(run.digits) or _CARD_CUE.search(before) or (run.spoken and count >= 16)):
        return "card"
    if not 7 <= count <= 15 or _NOT_PHONE_CUE.search(before):
        return None
    if run.spoken or run.plus or run.paren or _PHONE_CUE.search(before):
        return "phone"
    written_like_a_phone = "," not in run.separators and (
        (run.digits.startswith("0") and count >= 9) or run.groups in _NANP_SHAPES)
    return "phone" if written_like_a_phone else None


def _card_shaped(groups: tuple[int, ...]) -> bool:
    return len(groups) == 1 or groups in _CARD_SHAPES or (
        all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4)
