"""Paging parameters of list endpoints."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_PAGE = 100
# Cosmos DB continuation tokens are printable ASCII; anything else would break the header they go in.
Continuation = Annotated[str, StringConstraints(pattern=r"^[\x20-\x7e]{1,4096}$")]


class PageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(20, ge=1, le=MAX_PAGE)
    continuation: Continuation | None = None
