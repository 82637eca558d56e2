"""Masks personal data in free text: `mask("call me on 555-123-4567")` is "call me on [phone]".

Patterns, not a model: an NER model (presidio with spaCy) is too big for the function app's cold
start and misses what speech recognition writes ("john dot smith at gmail dot com", card digits as
words), which these patterns are made for. Emails come first (they hold digits and dots), then
what must stay (dates, prices, order ids) is set aside, then addresses (a ZIP+4 is no phone), then
cards and phones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from shared.privacy.addresses import address_spans
from shared.privacy.emails import email_spans
from shared.privacy.keep import kept_spans
from shared.privacy.numbers import number_spans

Kind = Literal["email", "phone", "card", "address"]
_BLANK = "\x00"  # neither a word, a digit nor a separator: no pattern matches across it


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: Kind


def find(text: str) -> list[Found]:
    """The personal data in `text`, in order, without overlaps."""
    found: list[Found] = []
    work = text  # what later patterns see: each span taken is blanked out

    def take(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        nonlocal work
        for start, end in spans:
            work = work[:start] + _BLANK * (end - start) + work[end:]
        return spans

    found += [Found(start, end, "email") for start, end in take(email_spans(work))]
    take(kept_spans(work))
    found += [Found(start, end, "address") for start, end in take(address_spans(work))]
    found += [Found(start, end, kind) for start, end, kind in number_spans(work)]
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> str:
    """`text` with each email, phone number, card number and street address replaced by `[kind]`."""
    pieces: list[str] = []
    last = 0
    for item in find(text):
        pieces += [text[last:item.start], f"[{item.kind}]"]
        last = item.end
    return "".join([*pieces, text[last:]])


def mask_values(value: Any) -> Any:
    """`value` with `mask` applied to every string in it, through dicts, lists and tuples (keys stay):
    for tool arguments and results kept beside a transcript."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_values(item) for item in value)
    return value
