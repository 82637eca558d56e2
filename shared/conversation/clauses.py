"""Cuts streamed text at clause boundaries, so speech can start on the first clause while the rest is written.

A boundary is punctuation followed by white space. Punctuation at the very end of a delta is held
back until the next delta shows whether a space follows ("3." then "5" is a number, not a clause).
"""

from __future__ import annotations

import re

from shared.conversation.events import TextDelta

BOUNDARY = re.compile(r"(?<=[.!?;:,])\s+")
HELD = ".!?;:,"


class ClauseSplitter:
    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> list[TextDelta]:
        text, self._held = self._held + text, ""
        if text and text[-1] in HELD:
            text, self._held = text[:-1], text[-1]
        pieces: list[TextDelta] = []
        start = 0
        for boundary in BOUNDARY.finditer(text):
            pieces.append(TextDelta(text[start:boundary.end()], clause_end=True))
            start = boundary.end()
        if start < len(text):
            pieces.append(TextDelta(text[start:]))
        return pieces

    def flush(self) -> list[TextDelta]:
        """The end of the answer ends its last clause."""
        held, self._held = self._held, ""
        return [TextDelta(held, clause_end=True)] if held else []
