"""Business data in the local Cosmos DB server, through the same adapter as in Azure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from local.stack import Endpoints
from shared.analytics.dashboard import tally
from shared.data.access import BusinessData, business_data
from shared.data.cosmos import cosmos_store
from shared.data.models import Address, Conversation, Customer, Outcome, Sentiment, Turn
from shared.settings import Settings

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(stack: Endpoints) -> Settings:
    return Settings(**stack.as_settings(), COSMOS_DATABASE=f"test-{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def data(settings: Settings) -> AsyncIterator[BusinessData]:
    yield await business_data(settings)
    await cosmos_store(settings).drop_all()


def customer(i: int) -> Customer:
    return Customer(id=f"cust-{i:05d}", first_name="Ada", last_name=f"Lovelace{i}", email=f"ada{i}@example.com",
                    phone=f"+4179555{i:04d}", customer_since=START,
                    address=Address(street=f"{i} Main Street", postal_code="8001", city="Zurich", country="CH"))


def conversation(i: int, topic: str, agents: list[str], sentiment: Sentiment, product: str | None) -> Conversation:
    return Conversation(
        id=f"conv-{i:06d}", customer_id=f"cust-{i % 3:05d}", started_at=START + timedelta(days=i % 4),
        duration_seconds=120, transcript=[Turn(speaker="caller", text="Hello"), Turn(speaker="agent", agent=agents[0],
                                                                                       text="Hi, how can I help?")],
        summary=f"The caller asked about {topic}.", topic=topic, product_id=product, agents=agents,
        sentiment=sentiment, outcome=Outcome.RESOLVED)


async def test_customer_crud_and_lookups(data: BusinessData) -> None:
    assert await data.customers.create_many([customer(i) for i in range(5)]) == 5
    assert await data.customers.create_many([customer(0)]) == 0  # a repeated write adds nothing
    assert (await data.customers.get("cust-00003")) == customer(3)
    assert await data.customers.get("cust-99999") is None
    assert (await data.customers.by_phone("+41795550004")).id == "cust-00004"  # type: ignore[union-attr]
    first, more = await data.customers.page(limit=3)
    rest, end = await data.customers.page(limit=3, continuation=more)
    assert [c.id for c in first + rest] == [f"cust-{i:05d}" for i in range(5)] and end is None
    assert await data.customers.delete("cust-00001") is True
    assert await data.customers.delete("cust-00001") is False
    assert await data.customers.get("cust-00001") is None


async def test_concurrent_address_updates_lose_no_update(data: BusinessData) -> None:
    await data.customers.create_many([customer(7)])
    moves = [Address(street=f"{n} Harbour Street", postal_code="8001", city="Zurich", country="Switzerland")
             for n in range(12)]
    await asyncio.gather(*(data.customers.update_address("cust-00007", move) for move in moves))
    final = await data.customers.get("cust-00007")
    assert final is not None
    assert len(final.previous_addresses) == len(moves)  # every move saw the address before it
    assert {a.street for a in [*final.previous_addresses[1:], final.address]} == {m.street for m in moves}


async def test_dashboard_figures_equal_a_recount_of_the_raw_items(data: BusinessData) -> None:
    topics = ["order status", "returns", "warranty", "billing/invoices"]
    made = [conversation(i, topics[i % 4], ["router", "customer_data"] if i % 2 else ["router"],
                         list(Sentiment)[i % 3], f"prod-{i % 5:04d}" if i % 3 else None) for i in range(30)]
    await asyncio.gather(*(data.conversations.record(c) for c in made))
    assert await data.conversations.record(made[0]) is False  # counted once however often written
    figures = await data.dashboard.figures()
    assert figures == tally(await data.conversations.scan())
    assert figures["conversations"] == 30
    assert figures["by_topic"]["billing/invoices"] == 7
    assert figures["by_agent"] == {"customer_data": 15, "router": 30}


async def test_a_batch_written_again_after_a_crash_is_counted_once_with_what_was_stored(data: BusinessData,
                                                                                       settings: Settings) -> None:
    made = [conversation(i, "returns" if i % 2 else "warranty", ["router"], Sentiment.NEUTRAL, None)
            for i in range(10)]
    container = await cosmos_store(settings).container("conversations")
    for written in made[:4]:  # the process died here: four written, none counted
        await container.create_item({**written.model_dump(mode="json"), "topic": "billing"})
    assert await data.conversations.record_many(made, "run-1/conversations:0") == 6
    assert await data.conversations.record_many(made, "run-1/conversations:0") == 0  # and retried once more
    figures = await data.dashboard.figures()
    assert figures == tally(await data.conversations.scan())
    assert figures["by_topic"] == {"billing": 4, "returns": 3, "warranty": 3}


async def test_deleting_a_customer_again_after_a_crash_uncounts_once(data: BusinessData) -> None:
    await data.customers.create_many([customer(0)])
    await data.conversations.record_many([conversation(i, "returns", ["router"], Sentiment.NEUTRAL, None)
                                          for i in (0, 3, 6, 1)], "run-1/conversations:0")
    gone = await data.conversations.of_customer("cust-00000")
    await data.dashboard.add("forget:cust-00000", gone, -1)  # the process died after uncounting, before deleting
    assert await data.forget_customer("cust-00000") == {"purchases": 0, "conversations": 3, "cases": 0}
    figures = await data.dashboard.figures()
    assert figures == tally(await data.conversations.scan()) and figures["conversations"] == 1
