"""The offline generator: deterministic per seed, batch-independent, varied, and consistent; the spec's limits."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from shared.data.models import Outcome, Sentiment
from shared.synthetic import catalog, offline
from shared.synthetic.spec import (
    MAX_CONVERSATIONS,
    MAX_CUSTOMERS,
    MAX_PRODUCTS,
    MAX_PURCHASES,
    CompanySpec,
    batches,
)

ROOT = Path(__file__).resolve().parents[1]
SPEC = CompanySpec(name="Contoso Outdoor", industry="outdoor gear", customers=50, products=20, purchases=200,
                   conversations=100, seed=11)
SMALL = CompanySpec(name="Northwind", industry="electronics", customers=12, products=6, purchases=30,
                    conversations=15, seed=5)
GENERATORS: dict[str, Callable[[CompanySpec, int, int], Sequence[BaseModel]]] = {
    "customers": offline.generate_customers, "products": offline.generate_products,
    "purchases": offline.generate_purchases, "conversations": offline.generate_conversations,
}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
TOPICS = {topic.name: topic for topic in catalog.TOPICS}


@pytest.fixture(autouse=True)
def from_scratch() -> Iterator[None]:
    """Each test generates from nothing, not from items another test left in the caches."""
    offline.clear_caches()
    yield
    offline.clear_caches()


def company(spec: CompanySpec) -> dict[str, list[dict[str, Any]]]:
    return {kind: [item.model_dump(mode="json") for item in generate(spec, 0, getattr(spec, kind))]
            for kind, generate in GENERATORS.items()}


def digest(generated: dict[str, list[dict[str, Any]]]) -> str:
    return hashlib.sha256(json.dumps(generated, sort_keys=True).encode()).hexdigest()


# -- determinism -------------------------------------------------------------------------------

def test_the_same_spec_and_seed_give_the_same_company() -> None:
    first = company(SPEC)
    offline.clear_caches()
    assert company(SPEC.model_copy()) == first


def test_another_seed_gives_another_company() -> None:
    one, other = company(SPEC), company(SPEC.model_copy(update={"seed": 12}))
    for kind in GENERATORS:
        assert one[kind] != other[kind], kind
    assert {c["last_name"] for c in one["customers"]} != {c["last_name"] for c in other["customers"]}


@pytest.mark.parametrize("kind", GENERATORS)
@pytest.mark.parametrize("size", [10, 7])
def test_batches_in_any_order_equal_the_whole(kind: str, size: int) -> None:
    generate, total = GENERATORS[kind], getattr(SPEC, kind)
    whole = [item.model_dump() for item in generate(SPEC, 0, total)]
    offline.clear_caches()  # the pieces must not lean on what the whole call cached
    pieces = {start: generate(SPEC, start, count) for start, count in reversed(batches(total, size))}
    assert [item.model_dump() for start in sorted(pieces) for item in pieces[start]] == whole


def test_batches_generated_in_parallel_threads_equal_the_whole() -> None:
    """Activities may run side by side in one worker: the per-thread Faker must not leak between them."""
    whole = company(SPEC)
    offline.clear_caches()
    work = [(kind, start, count) for kind in GENERATORS for start, count in batches(getattr(SPEC, kind), 5)]
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so a shared random state would show
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            done = list(pool.map(lambda batch: GENERATORS[batch[0]](SPEC, batch[1], batch[2]), work))
    finally:
        sys.setswitchinterval(switching)
    for kind in GENERATORS:
        assert [item.model_dump(mode="json") for (k, _, _), items in zip(work, done, strict=True) if k == kind
                for item in items] == whole[kind], kind


def test_the_company_does_not_depend_on_the_process() -> None:
    """Seeds come from sha256, not from `hash()`, which another process salts differently."""
    script = ("from tests.test_synthetic_offline import SMALL, company, digest; "
              "print(digest(company(SMALL)))")
    elsewhere = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": "12345"}, timeout=60)
    assert elsewhere.stdout.strip() == digest(company(SMALL))


# -- customers ---------------------------------------------------------------------------------

def test_customers_have_unique_ids_phones_and_emails() -> None:
    customers = offline.generate_customers(SPEC.model_copy(update={"customers": MAX_CUSTOMERS}), 0, MAX_CUSTOMERS)
    assert [c.id for c in customers] == [offline.customer_id(i) for i in range(MAX_CUSTOMERS)]
    phones, emails = {c.phone for c in customers}, {c.email for c in customers}
    assert len(phones) == len(emails) == MAX_CUSTOMERS
    assert all(E164.match(phone) for phone in phones)
    assert "+19995550000" not in phones  # other tests call with it as nobody's number
    assert {email.rsplit("@", 1)[1] for email in emails} <= {"example.com", "example.org", "example.net"}


def test_customers_look_like_a_customer_base() -> None:
    customers = offline.generate_customers(SPEC, 0, SPEC.customers)
    assert len({(c.first_name, c.last_name) for c in customers}) >= 45
    assert len({c.loyalty_tier for c in customers}) >= 3
    assert 0 < sum(bool(c.previous_addresses) for c in customers) < SPEC.customers / 2
    for customer in customers:
        assert customer.customer_since.utcoffset() == timedelta(0)  # timezone-aware UTC
        assert offline.EPOCH <= customer.customer_since < offline.AS_OF
        assert customer.address.country == offline.COUNTRY


# -- products ----------------------------------------------------------------------------------

def products(industry: str, count: int = 40) -> list[Any]:
    return offline.generate_products(SPEC.model_copy(update={"industry": industry, "products": count}), 0, count)


@pytest.mark.parametrize(("industry", "trade"), [
    ("Consumer Electronics", "electronics"), ("outdoor gear", "outdoor"), ("Sporting goods", "outdoor"),
    ("Home & Kitchen", "home"), ("Fashion apparel", "fashion"), ("Streetwear", "fashion"),
    ("Telecommunications", "telecom"), ("Mobile network operator", "telecom"), ("Car insurance", "financial"),
    ("HOME INSURANCE", "financial"), ("Fintech payments", "financial"), ("Automobile dealer", "generic"),
    ("Artisan bakery", "generic"),
])
def test_the_industry_is_recognised_by_its_words(industry: str, trade: str) -> None:
    assert offline.industry_of(industry).name == trade


def test_products_follow_the_industry() -> None:
    electronics, outdoor = ({p.category for p in products(i)} for i in ("Consumer electronics", "outdoor gear"))
    assert len(electronics) >= 3 and len(outdoor) >= 3 and not electronics & outdoor
    assert electronics <= {c.name for c in catalog.ELECTRONICS.categories}


def test_products_are_varied_and_priced_by_their_line() -> None:
    items = products("outdoor gear", 100)
    assert [p.id for p in items] == [offline.product_id(i) for i in range(100)]
    assert len({p.name for p in items}) == len({p.description for p in items}) == 100
    # Callers and tools find a product by its name in text: no name may hide inside another.
    assert not [(a.name, b.name) for a in items for b in items if a is not b and a.name in b.name]
    assert len({p.description.split()[0] for p in items}) >= 4  # several openings, not one template
    lines = [line for category in catalog.OUTDOOR.categories for line in category.lines]
    for product in items:
        line = next(line for line in lines if f" {line.noun} " in f" {product.name} ")
        assert line.price_range[0] <= product.price <= line.price_range[1] + 1
        assert 0 <= product.stock <= 500 and product.currency == "USD"
    assert any(p.stock == 0 for p in items) and any(0 < p.stock < 20 for p in items)


# -- purchases ---------------------------------------------------------------------------------

def test_purchases_refer_to_existing_customers_and_products_at_their_price() -> None:
    customers = {c.id: c for c in offline.generate_customers(SPEC, 0, SPEC.customers)}
    catalogue = {p.id: p for p in offline.generate_products(SPEC, 0, SPEC.products)}
    purchases = offline.generate_purchases(SPEC, 0, SPEC.purchases)
    assert [p.id for p in purchases] == [offline.purchase_id(i) for i in range(SPEC.purchases)]
    for purchase in purchases:
        assert purchase.unit_price == catalogue[purchase.product_id].price
        assert purchase.purchased_at > customers[purchase.customer_id].customer_since
    assert sum(p.quantity <= 3 for p in purchases) >= 0.9 * len(purchases)
    assert len({p.status for p in purchases}) == 5
    assert len({p.customer_id for p in purchases}) > 30 and len({p.product_id for p in purchases}) == SPEC.products


# -- conversations -----------------------------------------------------------------------------

def test_conversations_are_varied() -> None:
    conversations = offline.generate_conversations(SPEC, 0, SPEC.conversations)
    assert len({c.topic for c in conversations}) >= 10
    assert len({tuple(t.text for t in c.transcript) for c in conversations}) >= 90
    assert len({c.summary for c in conversations}) >= 90
    assert {c.sentiment for c in conversations} == set(Sentiment)
    assert len({c.outcome for c in conversations}) >= 3
    assert len({tuple(c.agents) for c in conversations}) >= 4


def test_conversations_are_coherent_with_the_company() -> None:
    customers = {c.id: c for c in offline.generate_customers(SPEC, 0, SPEC.customers)}
    catalogue = {p.id for p in offline.generate_products(SPEC, 0, SPEC.products)}
    purchases = {p.id: p for p in offline.generate_purchases(SPEC, 0, SPEC.purchases)}
    for index, conversation in enumerate(offline.generate_conversations(SPEC, 0, SPEC.conversations)):
        said = " ".join(t.text for t in conversation.transcript)
        assert conversation.id == offline.conversation_id(index)
        assert 4 <= len(conversation.transcript) <= 10
        assert "{" not in said and "}" not in said  # every placeholder filled in
        for turn in conversation.transcript:
            assert turn.agent in offline.AGENTS if turn.speaker == "agent" else turn.agent is None
        assert conversation.agents == list(dict.fromkeys(t.agent for t in conversation.transcript if t.agent))
        assert conversation.agents[0] == "router" and 2 <= len(conversation.agents) <= 3
        assert conversation.topic in conversation.summary
        assert conversation.outcome.value.replace("_", "-") in conversation.summary
        assert 60 <= conversation.duration_seconds <= 1200
        assert conversation.started_at > customers[conversation.customer_id].customer_since
        assert (conversation.product_id is not None) == TOPICS[conversation.topic].about_product
        assert conversation.product_id is None or conversation.product_id in catalogue
        for order in re.findall(r"pur-\d{6}", said):  # an order mentioned is the caller's, about that product
            purchase = purchases[order]
            assert (purchase.customer_id, purchase.product_id) == (conversation.customer_id, conversation.product_id)
            assert conversation.started_at > purchase.purchased_at


def test_sentiment_follows_the_outcome() -> None:
    spec = SPEC.model_copy(update={"conversations": 400})
    conversations = offline.generate_conversations(spec, 0, spec.conversations)

    def negative_share(outcomes: set[Outcome]) -> float:
        chosen = [c for c in conversations if c.outcome in outcomes]
        return sum(c.sentiment == Sentiment.NEGATIVE for c in chosen) / len(chosen)

    assert negative_share({Outcome.RESOLVED}) < 0.15
    assert negative_share({Outcome.ESCALATED, Outcome.ABANDONED}) > 0.3


def test_a_company_without_purchases_still_has_calls() -> None:
    spec = CompanySpec(name="Tiny", industry="bakery", customers=1, products=1, purchases=0, conversations=30)
    conversations = offline.generate_conversations(spec, 0, spec.conversations)
    assert {c.customer_id for c in conversations} == {"cust-00000"}
    assert {c.product_id for c in conversations} <= {"prod-0000", None}
    assert offline.generate_purchases(spec, 0, 0) == []


# -- the spec ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"colour": "red"}, "colour"), ({"customers": MAX_CUSTOMERS + 1}, "customers"), ({"customers": 0}, "customers"),
    ({"products": MAX_PRODUCTS + 1}, "products"), ({"purchases": MAX_PURCHASES + 1}, "purchases"),
    ({"conversations": MAX_CONVERSATIONS + 1}, "conversations"), ({"conversations": -1}, "conversations"),
    ({"seed": 2**31}, "seed"), ({"name": "   "}, "name"), ({"name": "x" * 81}, "name"),
    ({"industry": "y" * 61}, "industry"),
])
def test_the_spec_names_what_is_wrong(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field) as refused:
        CompanySpec.model_validate({"name": "X", "industry": "Y", **change})
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]


def test_the_spec_strips_names_and_has_defaults() -> None:
    spec = CompanySpec(name="  Contoso  ", industry=" outdoor ")
    assert (spec.name, spec.industry) == ("Contoso", "outdoor")
    assert (spec.customers, spec.products, spec.purchases, spec.conversations, spec.seed) == (50, 20, 200, 100, 7)


def test_batches_cover_the_total() -> None:
    assert batches(50, 10) == [(0, 10), (10, 10), (20, 10), (30, 10), (40, 10)]
    assert batches(23, 10) == [(0, 10), (10, 10), (20, 3)]
    assert batches(0, 10) == []
    with pytest.raises(ValueError, match="size"):
        batches(5, 0)
