"""The company's business data: customers, products, purchases and past conversations.

Models refuse unknown fields, so a mistyped field in an admin request or a tool argument is
named in the error instead of being dropped silently.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Phone = Annotated[str, StringConstraints(pattern=r"^\+[1-9]\d{6,14}$")]  # E.164, as ACS sends it
# At least one letter or digit: "." and ".." are path segments to a REST store, not ids.
Id = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                      pattern=r"^[A-Za-z0-9_.:-]*[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(Record):
    street: Text
    postal_code: Annotated[str, StringConstraints(min_length=2, max_length=12, strip_whitespace=True)]
    city: Text
    country: Text


class Customer(Record):
    id: Id
    first_name: Text
    last_name: Text
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
    phone: Phone
    address: Address
    loyalty_tier: Annotated[str, StringConstraints(pattern=r"^(standard|silver|gold|platinum)$")] = "standard"
    customer_since: datetime
    date_of_birth: date | None = None  # one of the facts a caller states to be verified
    # Every address the customer moved away from, oldest first: an agent can tell where a parcel went.
    previous_addresses: list[Address] = Field(default_factory=list)


class Product(Record):
    id: Id
    name: Text
    category: Text
    description: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    price: float = Field(gt=0, le=1_000_000)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    stock: int = Field(ge=0)
    # The latest orders whose quantity was taken from `stock`: taking it again for one of them is a no-op.
    reserved_for: list[Id] = Field(default_factory=list)
    # Likewise the cancelled orders whose quantity was put back.
    restocked_for: list[Id] = Field(default_factory=list)


class PurchaseStatus(StrEnum):
    PENDING = "pending"  # recorded, stock not yet confirmed taken
    ORDERED = "ordered"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class Purchase(Record):
    id: Id
    customer_id: Id
    product_id: Id
    quantity: int = Field(ge=1, le=1000)
    unit_price: float = Field(gt=0)
    status: PurchaseStatus = PurchaseStatus.ORDERED
    purchased_at: datetime
    delivered_at: datetime | None = None  # the return window runs from it (from the purchase when unknown)

    @property
    def total(self) -> float:
        return round(self.unit_price * self.quantity, 2)


class CaseKind(StrEnum):
    RETURN = "return"  # a delivered item going back, for a refund or an exchange
    COMPLAINT = "complaint"  # escalated to a supervisor


class Case(Record):
    """Something a person follows up after the call: a return to receive, a complaint to answer."""

    id: Id
    customer_id: Id
    kind: CaseKind
    reason: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    order_id: Id | None = None
    resolution: Annotated[str, StringConstraints(pattern=r"^(refund|exchange)$")] | None = None
    status: Annotated[str, StringConstraints(pattern=r"^(open|closed)$")] = "open"
    opened_at: datetime
    session_id: str | None = None  # the conversation that opened it


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    FOLLOW_UP = "follow_up"
    ABANDONED = "abandoned"


class Turn(Record):
    speaker: Annotated[str, StringConstraints(pattern=r"^(caller|agent)$")]
    agent: str | None = None  # which agent spoke, for agent turns
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Conversation(Record):
    id: Id
    customer_id: Id
    started_at: datetime
    duration_seconds: int = Field(ge=0, le=24 * 3600)
    channel: Annotated[str, StringConstraints(pattern=r"^(phone|chat)$")] = "phone"
    transcript: list[Turn] = Field(min_length=1)
    summary: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    topic: Text
    product_id: Id | None = None
    agents: list[Text] = Field(min_length=1)
    sentiment: Sentiment
    outcome: Outcome
