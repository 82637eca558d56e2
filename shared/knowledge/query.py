"""A search request as the API and the agents' tool accept it."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
    top: int = Field(5, ge=1, le=50)


LONG_QUESTION_WORDS = 25
ASKED = re.compile(r"[^.?!]*\?")


def focus(text: str) -> str:
    """What a long message asks: its questions without the talk around them ("Hi, my daughter set this
    up... how much is X? I just want to be sure"), whose words would otherwise outweigh the question's.
    A short message, or one with no question mark, is searched whole."""
    if len(text.split()) <= LONG_QUESTION_WORDS:
        return text
    asked = " ".join(match.group(0).strip() for match in ASKED.finditer(text))
    return asked or text
