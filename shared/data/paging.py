"""Paging parameters of list endpoints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE = 100


class PageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(20, ge=1, le=MAX_PAGE)
    continuation: str | None = None
