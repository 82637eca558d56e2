"""How long a silence ends the caller's turn, from a cheap look at what they said so far.

A turn that ends on "and", "my", "the", "is"... is a caller drawing breath mid-sentence: its end is
taken only after a long silence. One the recogniser closed with a full stop or a question mark ends
after a short one; one without (whisper leaves it off at a comma pause) after a middling one. A turn
ended too early is taken back if the caller goes on (see turn_taking).
"""

from __future__ import annotations

import re

from shared.voice.settings import VoiceSettings

UNFINISHED_ENDINGS = frozenset((
    "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that", "these", "those",
    "some", "any", "and", "or", "but", "so", "because", "if", "then", "than", "to", "of", "in", "on", "at",
    "for", "from", "with", "by", "about", "into", "as", "is", "are", "was", "were", "be", "been", "am",
    "i'm", "it's", "i", "we", "you", "he", "she", "they", "it", "uh", "um", "er", "erm", "like",
))
WORD = re.compile(r"[a-z0-9']+")


def silence_to_end(text: str, settings: VoiceSettings) -> int:
    """Milliseconds of silence after `text` that end the turn."""
    if not sounds_finished(text):
        return settings.unfinished_silence_ms
    return settings.end_silence_ms if text.rstrip().endswith((".", "?", "!")) else settings.open_silence_ms


def sounds_finished(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.endswith((",", "...", "-", "…")):
        return False
    words = WORD.findall(stripped.lower())
    return bool(words) and words[-1] not in UNFINISHED_ENDINGS
