"""How long a silence ends the caller's turn, from a cheap look at what they said so far.

A turn that ends on "and", "my", "the", "to"... is a caller drawing breath mid-sentence: its end is
taken only after a long silence. A word that may end a sentence or go on ("cancel that." / "that
is", "thank you." / "you know") is read by the recogniser's punctuation: closed by a full stop, the
turn is over. One the recogniser closed with a full stop or a question mark ends after a short
silence; one without (whisper leaves it off, or writes a comma or "..." at a pause) after a middling
one. A turn ended too early is taken back if the caller goes on (see turn_taking).
"""

from __future__ import annotations

import re

from shared.voice.settings import VoiceSettings

UNFINISHED_ENDINGS = frozenset((
    "a", "an", "the", "my", "your", "our", "their", "his", "its", "some", "any", "and", "or", "but", "so",
    "because", "if", "then", "than", "to", "of", "in", "on", "at", "for", "from", "with", "by", "about", "into",
    "as", "is", "are", "was", "were", "be", "been", "am", "i'm", "it's", "i", "we", "he", "she", "they", "uh",
    "um", "er", "erm", "like",
))
# Pronouns and demonstratives that end many a finished sentence as its object.
OPEN_ENDINGS = frozenset(("this", "that", "these", "those", "you", "it", "her", "them", "him", "me", "us"))
CLOSED = (".", "?", "!")
TRAILING = (",", "...", "-", "…")
WORD = re.compile(r"[a-z0-9']+")


def silence_to_end(text: str, settings: VoiceSettings) -> int:
    """Milliseconds of silence after `text` that end the turn."""
    if not sounds_finished(text):
        return settings.unfinished_silence_ms
    stripped = text.rstrip()
    closed = stripped.endswith(CLOSED) and not stripped.endswith(TRAILING)
    return settings.end_silence_ms if closed else settings.open_silence_ms


def sounds_finished(text: str) -> bool:
    stripped = text.strip()
    words = WORD.findall(stripped.lower())
    if not words or words[-1] in UNFINISHED_ENDINGS:
        return False
    return words[-1] not in OPEN_ENDINGS or (stripped.endswith(CLOSED) and not stripped.endswith(TRAILING))
