"""The offline generator: deterministic per seed, batch-independent, varied, and consistent."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.synthetic import offline
from shared.synthetic.spec import CompanySpec

SPEC = CompanySpec(name="Contoso Outdoor", industry="outdoor gear", customers=50, products=20, purchases=200,
                   conversations=100, seed=11)
KINDS = {"customers": offline.generate_customers, "products": offline.generate_products,
         "purchases": offline.generate_purchases, "conversations": offline.generate_conversations}


def company(spec: CompanySpec) -> dict[str, list[dict]]:
    return {kind: [item.model_dump() for item in generate(spec, 0, getattr(spec, kind))]
            for kind, generate in KINDS.items()}


def test_the_same_seed_gives_the_same_company_and_another_seed_another() -> None:
    assert company(SPEC) == company(SPEC.model_copy())
    other = company(SPEC.model_copy(update={"seed": 12}))
    assert other["customers"] != company(SPEC)["customers"]


def test_batches_in_any_order_equal_the_whole() -> None:
    whole = offline.generate_conversations(SPEC, 0, 100)
    pieces = [offline.generate_conversations(SPEC, start, 10) for start in reversed(range(0, 100, 10))]
    assert [c for piece in reversed(pieces) for c in piece] == whole


def test_ids_phones_and_emails_are_unique() -> None:
    customers = offline.generate_customers(SPEC.model_copy(update={"customers": 1000}), 0, 1000)
    for field in ("id", "phone", "email"):
        assert len({getattr(c, field) for c in customers}) == 1000


def test_purchases_refer_to_real_customers_and_products_at_their_price() -> None:
    customers = {c.id: c for c in offline.generate_customers(SPEC, 0, 50)}
    products = {p.id: p for p in offline.generate_products(SPEC, 0, 20)}
    for purchase in offline.generate_purchases(SPEC, 0, 200):
        assert purchase.unit_price == products[purchase.product_id].price
        assert purchase.purchased_at > customers[purchase.customer_id].customer_since


def test_conversations_are_varied_and_coherent() -> None:
    conversations = offline.generate_conversations(SPEC, 0, 100)
    assert len({c.topic for c in conversations}) >= 10
    assert len({tuple(t.text for t in c.transcript) for c in conversations}) >= 95
    assert {c.sentiment.value for c in conversations} == {"positive", "neutral", "negative"}
    for conversation in conversations:
        spoke = [t.agent for t in conversation.transcript if t.speaker == "agent"]
        assert list(dict.fromkeys(spoke)) == conversation.agents  # agents listed in the order they spoke
        assert conversation.topic in conversation.summary


def test_products_follow_the_industry() -> None:
    def categories(industry: str) -> set[str]:
        spec = SPEC.model_copy(update={"industry": industry})
        return {p.category for p in offline.generate_products(spec, 0, 40)}

    assert categories("Consumer electronics") != categories("outdoor gear")
    assert categories("Consumer electronics") <= {"Audio", "Computing", "Smart home"}
    assert len({p.description for p in offline.generate_products(SPEC, 0, 20)}) == 20


@pytest.mark.parametrize(("change", "field"), [({"colour": "red"}, "colour"), ({"customers": 1001}, "customers"),
                                               ({"conversations": -1}, "conversations")])
def test_the_spec_names_what_is_wrong(change: dict, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        CompanySpec.model_validate({"name": "X", "industry": "Y", **change})
