"""Replies as they are spoken: a short answer drawn from a passage, a citation in words, ids in groups."""

from __future__ import annotations

import re
from datetime import date

FURNITURE = re.compile(r"\bPage \d+ of \d+\b|^[^:]{0,80}:\s*", re.I)  # page footers, a "Title: Heading" lead
HEADING = re.compile(r"^[A-Z][\w'-]*(?: [a-z][\w'-]*){0,5} (?=[A-Z])")  # "Returns window You can return ..."
SENTENCE = re.compile(r"(?<=[.!?])\s+")
STOP = {"the", "a", "an", "i", "my", "do", "does", "is", "are", "to", "of", "how", "what", "can", "you", "for",
        "it", "in", "on", "and", "or", "me", "your", "we", "have", "long", "much", "many", "when", "should"}


def answer_from(passage: str, question: str, sentences: int = 2) -> str:
    """The one or two sentences of `passage` that share the most words with the question, in their order."""
    body = HEADING.sub("", FURNITURE.sub("", passage).strip())
    parts = [s for s in SENTENCE.split(body) if s]
    asked = _stems(question)
    shared = [len(asked & _stems(part)) for part in parts]
    ranked = sorted(range(len(parts)), key=lambda i: (-shared[i], i))
    chosen = sorted([ranked[0], *[i for i in ranked[1:sentences] if shared[i]]])
    return " ".join(parts[i] for i in chosen)


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so "parcel" meets "parcels" and "refund" meets "refunded"."""
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if w not in STOP}


def spoken_citation(citation: str) -> str:
    """"Returns Policy.pdf, page 1" -> "the Returns Policy, page 1"."""
    document, _, page = citation.rpartition(", ")
    name = re.sub(r"\.(pdf|docx?|md|txt|html?)$", "", document, flags=re.I)
    return f"the {name}, {page}" if document else citation


def spoken_id(identifier: str) -> str:
    """An order number in groups of four after its prefix, as it is read out: "ord-3f2a 9c1b"."""
    prefix, _, rest = identifier.partition("-")
    groups = " ".join(rest[i:i + 4] for i in range(0, len(rest), 4))
    return f"{prefix}-{groups}" if rest else identifier


def spoken_date(iso: str) -> str:
    """"2026-11-20" -> "November 20, 2026"; anything else as it is."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day:%B} {day.day}, {day.year}"


CURRENCIES = {"USD": ("dollar", "dollars", "cent", "cents"), "CAD": ("dollar", "dollars", "cent", "cents"),
              "EUR": ("euro", "euros", "cent", "cents"), "GBP": ("pound", "pounds", "penny", "pence"),
              "CHF": ("franc", "francs", "centime", "centimes"), "SEK": ("krona", "kronor", "öre", "öre"),
              "INR": ("rupee", "rupees", "paisa", "paise"), "JPY": ("yen", "yen", "sen", "sen")}


def spoken_money(amount: float, currency: str) -> str:
    """199.5, "USD" -> "199 dollars and 50 cents": said as a person says it, not "199 point 5 0 USD"."""
    if currency not in CURRENCIES:
        return f"{amount:.2f} {currency}"
    one, many, small, smalls = CURRENCIES[currency]
    whole, cents = divmod(round(amount * 100), 100)
    said = f"{whole} {one if whole == 1 else many}"
    return f"{said} and {cents} {small if cents == 1 else smalls}" if cents else said
