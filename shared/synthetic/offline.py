"""The deterministic offline generator: the same spec and seed always give the same company.

Every item is drawn from a random stream of its own, keyed on (seed, kind, index), so batches can
be generated in parallel, in any order, and again after a crash, always giving the same items.
"""

from __future__ import annotations

import hashlib
import random
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TypeVar

from faker import Faker

from shared.data.models import (
    Address,
    Conversation,
    Customer,
    Outcome,
    Product,
    Purchase,
    PurchaseStatus,
    Sentiment,
    Turn,
)
from shared.synthetic import catalog
from shared.synthetic.spec import CompanySpec

EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
DAY_SPAN = 3 * 365
T = TypeVar("T")


def customer_id(index: int) -> str:
    return f"cust-{index:05d}"


def product_id(index: int) -> str:
    return f"prod-{index:04d}"


def _rng(seed: int, kind: str, index: int) -> random.Random:
    """A stream of its own per item; sha256 because `hash()` differs between processes."""
    digest = hashlib.sha256(f"{seed}:{kind}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pick(rng: random.Random, options: tuple[T, ...]) -> T:
    return options[rng.randrange(len(options))]


def industry_of(name: str) -> catalog.Industry:
    lowered = name.lower()
    return next((i for i in catalog.INDUSTRIES if any(k in lowered for k in i.keywords)), catalog.GENERIC)


# -- customers ---------------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _customer(seed: int, index: int) -> Customer:
    rng = _rng(seed, "customers", index)
    fake = Faker("en_US")
    fake.seed_instance(rng.getrandbits(32))
    first, last = fake.first_name(), fake.last_name()
    handle = re.sub(r"[^a-z]", "", f"{first}.{last}".lower())
    # One area code per company; the index keeps every number unique.
    phone = f"+1{200 + seed % 700:03d}555{index:04d}"
    return Customer(
        id=customer_id(index), first_name=first, last_name=last, email=f"{handle}{index}@example.com", phone=phone,
        address=Address(street=fake.street_address(), postal_code=fake.postcode(), city=fake.city(),
                        country="United States"),
        loyalty_tier=_weighted(rng, {"standard": 60, "silver": 25, "gold": 12, "platinum": 3}),
        customer_since=EPOCH + timedelta(days=rng.randrange(DAY_SPAN // 2), minutes=rng.randrange(1440)),
    )


def generate_customers(spec: CompanySpec, start: int, count: int) -> list[Customer]:
    return [_customer(spec.seed, i) for i in range(start, start + count)]


# -- products ----------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _product(seed: int, industry: str, index: int) -> Product:
    rng = _rng(seed, "products", index)
    category = _pick(rng, industry_of(industry).categories)
    noun = _pick(rng, category.nouns)
    name = f"{_pick(rng, catalog.ADJECTIVES)} {noun} {rng.choice('XSM')}{rng.randrange(1, 10)}"
    first, second = rng.sample(category.features, 2)
    description = " ".join((
        _pick(rng, catalog.OPENINGS).format(name=name, feature=first, noun=noun.lower()),
        _pick(rng, catalog.DETAILS).format(feature=second),
        _pick(rng, catalog.CARE),
    ))
    low, high = category.price_range
    return Product(id=product_id(index), name=name, category=category.name, description=description,
                   price=round(rng.uniform(low, high), 0) - 0.01,
                   stock=0 if rng.random() < 0.1 else rng.randrange(1, 501))


def generate_products(spec: CompanySpec, start: int, count: int) -> list[Product]:
    return [_product(spec.seed, spec.industry, i) for i in range(start, start + count)]


# -- purchases ---------------------------------------------------------------------------------

def generate_purchases(spec: CompanySpec, start: int, count: int) -> list[Purchase]:
    purchases = []
    for index in range(start, start + count):
        rng = _rng(spec.seed, "purchases", index)
        customer = _customer(spec.seed, rng.randrange(spec.customers))
        product = _product(spec.seed, spec.industry, rng.randrange(spec.products))
        purchases.append(Purchase(
            id=f"pur-{index:06d}", customer_id=customer.id, product_id=product.id,
            quantity=rng.choices((1, 2, 3), weights=(70, 20, 10))[0], unit_price=product.price,
            status=PurchaseStatus(_weighted(rng, {"delivered": 60, "shipped": 15, "ordered": 10, "returned": 10,
                                                  "cancelled": 5})),
            purchased_at=customer.customer_since + timedelta(days=rng.randrange(1, DAY_SPAN // 2),
                                                             minutes=rng.randrange(1440)),
        ))
    return purchases


# -- conversations -----------------------------------------------------------------------------

def generate_conversations(spec: CompanySpec, start: int, count: int) -> list[Conversation]:
    return [_conversation(spec, index) for index in range(start, start + count)]


def _conversation(spec: CompanySpec, index: int) -> Conversation:
    rng = _rng(spec.seed, "conversations", index)
    customer = _customer(spec.seed, rng.randrange(spec.customers))
    topic = _pick(rng, catalog.TOPICS)
    product = _product(spec.seed, spec.industry, rng.randrange(spec.products)) if topic.about_product else None
    outcome = _weighted(rng, topic.outcomes)
    sentiment = _weighted(rng, catalog.SENTIMENT_BY_OUTCOME[outcome])
    facts = {"company": spec.name, "product": product.name if product else "order",
             "order": f"#{rng.randrange(100000, 999999)}"}
    agents = ["router", topic.specialist]
    answer, further = rng.sample(topic.specialist_lines, 2)
    turns = [
        Turn(speaker="agent", agent="router", text=_pick(rng, catalog.GREETINGS).format(**facts)),
        Turn(speaker="caller", text=_pick(rng, topic.caller).format(**facts)),
        Turn(speaker="agent", agent="router", text=catalog.HANDOFFS[topic.specialist]),
        Turn(speaker="agent", agent=topic.specialist, text=answer.format(**facts)),
    ]
    if rng.random() < 0.6:
        turns += [Turn(speaker="caller", text=_pick(rng, catalog.FOLLOW_UPS)),
                  Turn(speaker="agent", agent=topic.specialist, text=further.format(**facts))]
    if outcome == "follow_up" and topic.specialist != "executive_assistant":
        agents.append("executive_assistant")
        turns.append(Turn(speaker="agent", agent="executive_assistant", text=catalog.ASSISTANT_FOLLOW_UP))
    if outcome != "abandoned":
        turns.append(Turn(speaker="caller", text=_pick(rng, catalog.CLOSINGS[sentiment])))
    about = f" about the {product.name}" if product else ""
    return Conversation(
        id=f"conv-{index:06d}", customer_id=customer.id,
        started_at=customer.customer_since + timedelta(days=rng.randrange(1, DAY_SPAN // 2),
                                                       seconds=rng.randrange(86400)),
        duration_seconds=rng.randrange(60, 1201), transcript=turns,
        summary=f"{customer.first_name} called {spec.name} with a {topic.name}{about}; "
                f"{catalog.OUTCOME_PHRASES[outcome]}.",
        topic=topic.name, product_id=product.id if product else None, agents=agents,
        sentiment=Sentiment(sentiment), outcome=Outcome(outcome),
    )
