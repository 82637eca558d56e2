"""The product a caller means, matched fuzzily against the catalog's names (rapidfuzz): speech recognition
splits and mishears names ("back pack", "forty liter"), and a number in a name tells near twins apart."""

from __future__ import annotations

import re
from typing import Any

from shared.agents.numbers import in_digits

CUTOFF = 70  # rapidfuzz's 0-100 score below which no product is meant
GENERIC = {"the", "a", "an", "of", "one", "pair", "set"}


def _words(text: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", in_digits(text).lower().replace("back pack", "backpack"))
                    if w not in GENERIC)


def best_product(message: str, products: list[dict[str, Any]], cutoff: int = CUTOFF) -> dict[str, Any] | None:
    """The product whose name the message names best, or None."""
    from rapidfuzz import fuzz

    said = _words(message)
    scored = []
    for product in products:
        name = _words(product["name"])
        score = fuzz.partial_token_set_ratio(name, said) * 0.5 + fuzz.token_set_ratio(name, said) * 0.5
        for word, number in re.findall(r"(\w+) (\d+)", name):  # "Trailblazer 4" is not "trailblazer 2"
            score += 10 if re.search(rf"\b{word} {number}", said) else -10
        scored.append((score, product))
    score, product = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return product if score >= cutoff else None
