"""What an administrator asks for: a company, its industry, how much of everything, and a seed."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Caps keep one generation within minutes on the local stand-ins and within a sensible RU budget.
MAX_CUSTOMERS = 1000
MAX_PRODUCTS = 500
MAX_PURCHASES = 10_000
MAX_CONVERSATIONS = 5000


class CompanySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
    industry: Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
    customers: int = Field(50, ge=1, le=MAX_CUSTOMERS)
    products: int = Field(20, ge=1, le=MAX_PRODUCTS)
    purchases: int = Field(200, ge=0, le=MAX_PURCHASES)
    conversations: int = Field(100, ge=0, le=MAX_CONVERSATIONS)
    seed: int = Field(7, ge=0, le=2**31 - 1)


def batches(total: int, size: int) -> list[tuple[int, int]]:
    """(start, count) pairs covering `total` items in batches of at most `size`."""
    return [(start, min(size, total - start)) for start in range(0, total, size)]
