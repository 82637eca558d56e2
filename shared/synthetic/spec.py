"""What an administrator asks for: a company, its industry, how much of everything, and a seed."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Caps keep one generation within minutes on the local stand-ins and within a sensible RU budget.
# Customer phones carry the index as a four-digit line number, so MAX_CUSTOMERS must stay below 10,000.
MAX_CUSTOMERS = 1000
MAX_PRODUCTS = 500
MAX_PURCHASES = 10_000
MAX_CONVERSATIONS = 5000
MAX_SEED = 2**31 - 1

Batch = tuple[int, int]  # (start, count)


class CompanySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
    industry: Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
    customers: int = Field(50, ge=1, le=MAX_CUSTOMERS)
    products: int = Field(20, ge=1, le=MAX_PRODUCTS)
    purchases: int = Field(200, ge=0, le=MAX_PURCHASES)
    conversations: int = Field(100, ge=0, le=MAX_CONVERSATIONS)
    seed: int = Field(7, ge=0, le=MAX_SEED)


def batches(total: int, size: int) -> list[Batch]:
    """(start, count) pairs covering `total` items in batches of at most `size`."""
    if total < 0 or size < 1:
        raise ValueError(f"batches need total >= 0 and size >= 1, not total={total}, size={size}")
    return [(start, min(size, total - start)) for start in range(0, total, size)]
