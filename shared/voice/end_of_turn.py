"""Whether what the caller said so far sounds finished: a cheap look at its last word.

A turn that ends on "and", "my", "the", "is"... is a caller drawing breath mid-sentence, so its end is
taken only after a longer silence; anything else ends after a short one (and is taken back if the
caller goes on: see turn_taking).
"""

from __future__ import annotations

import re

UNFINISHED_ENDINGS = frozenset((
    "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that", "these", "those",
    "some", "any", "and", "or", "but", "so", "because", "if", "then", "than", "to", "of", "in", "on", "at",
    "for", "from", "with", "by", "about", "into", "as", "is", "are", "was", "were", "be", "been", "am",
    "i'm", "it's", "i", "we", "you", "he", "she", "they", "it", "uh", "um", "er", "erm", "like",
))
WORD = re.compile(r"[a-z0-9']+")


def sounds_finished(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.endswith((",", "...", "-", "…")):
        return False
    words = WORD.findall(stripped.lower())
    return bool(words) and words[-1] not in UNFINISHED_ENDINGS
