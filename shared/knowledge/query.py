"""A search request as the API and the agents' tool accept it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
    top: int = Field(5, ge=1, le=50)
