"""The scenarios through the text channel of a real Functions host: POST /api/sessions and /api/chat with the
service key, the end state read back from the Cosmos DB stand-in the host writes to.

Before each scenario the world is written into Cosmos (its dates moved by the real clock's distance from the
world's `now`, so the order policy's windows hold as in process), and whatever a scenario added (orders, cases)
is deleted. Scored by the same turn and end-state checks as the in-process run; a side effect counts as carried
out when a confirmed call came back done, a transfer when transfer_to_human answered, an email when the local
SMTP server filed one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from evals.runner import ScenarioScore, score_end, score_turn
from evals.scenarios import Scenario
from evals.world import World, moment
from local.stack import Endpoints
from shared.blobs import blob_service
from shared.conversation.state import ToolCall
from shared.data.company import CompanyRecord, RunStatus
from shared.data.cosmos import cosmos_store, document
from shared.data.models import Customer, Product, Purchase
from shared.settings import Settings
from shared.tools.email import OUTBOX

DONE = {"ordered", "updated", "sent", "cancelled", "opened"}  # what a side effect's result says once carried out


@dataclass(frozen=True)
class Host:
    base_url: str
    service_key: str
    settings: Settings  # the host's own storage and Cosmos database


async def _items(settings: Settings, container: str, customer_id: str) -> list[dict[str, Any]]:
    found = (await cosmos_store(settings).container(container)).query_items("SELECT * FROM c",
                                                                             partition_key=customer_id)
    return [document(item) async for item in found]


async def reset(settings: Settings, world: World, shift: timedelta) -> None:
    """Writes the world into Cosmos as it starts every scenario; removes what earlier scenarios added."""
    store = cosmos_store(settings)
    moved = world.now + shift
    await (await store.container("company")).upsert_item(CompanyRecord(
        name=world.company, industry="outdoor gear", seed=1, run_id="eval", status=RunStatus.COMPLETE, requested={},
        started_at=moved).model_dump(mode="json"))
    customers, products = await store.container("customers"), await store.container("products")
    purchases, cases = await store.container("purchases"), await store.container("cases")
    for c in world.customers.values():
        await customers.upsert_item(Customer.model_validate({**c, "customer_since": moved - timedelta(days=400)})
                                    .model_dump(mode="json"))
    for p in world.products.values():
        await products.upsert_item(Product.model_validate({**p, "description": "A product of the catalog."})
                                   .model_dump(mode="json"))
    kept = {p["id"] for p in world.purchases}
    for customer_id in world.customers:
        for item in await _items(settings, "purchases", customer_id):
            if item["id"] not in kept:
                await purchases.delete_item(item["id"], partition_key=customer_id)
        for item in await _items(settings, "cases", customer_id):
            await cases.delete_item(item["id"], partition_key=customer_id)
    for p in world.purchases:
        dates = {k: (moment(p[k]) + shift).isoformat() for k in ("purchased_at", "delivered_at") if p.get(k)}
        await purchases.upsert_item(Purchase.model_validate({**p, **dates}).model_dump(mode="json"))


async def emails(settings: Settings) -> int:
    """How many messages the local SMTP server has filed."""
    async with blob_service(settings) as service:
        container = service.get_container_client(OUTBOX)
        if not await container.exists():
            return 0
        return len([b async for b in container.list_blobs()])


async def snapshot(settings: Settings, before: World, emails_sent: int, transfers: list[str]) -> World:
    """The world as Cosmos holds it now, in the shape of `before` (only the fields the world has)."""
    store = cosmos_store(settings)
    customers, products = await store.container("customers"), await store.container("products")
    now = World(before.company, before.now, {}, {}, [], outbox=[{}] * emails_sent, transfers=transfers)
    for customer_id, was in before.customers.items():
        stored = await customers.read_item(customer_id, partition_key=customer_id)
        now.customers[customer_id] = {k: stored.get(k) for k in was}
        now.purchases += await _items(settings, "purchases", customer_id)
        now.cases += await _items(settings, "cases", customer_id)
    for product_id, was in before.products.items():
        stored = await products.read_item(product_id, partition_key=product_id)
        now.products[product_id] = {**was, "stock": stored["stock"]}
    return now


def effects_of(calls: list[ToolCall]) -> list[tuple[str, dict[str, Any]]]:
    """The side effects the host carried out in a turn: confirmed calls that came back done."""
    return [(c.name, {k: v for k, v in c.arguments.items() if k != "confirmed"}) for c in calls
            if c.ok and c.arguments.get("confirmed") and isinstance(c.result, dict) and c.result.get("status") in DONE]


async def run_scenario(scenario: Scenario, host: Host, world: World, http: httpx.AsyncClient) -> ScenarioScore:
    shift = datetime.now(UTC) - world.now
    await reset(host.settings, world, shift)
    sent_before = await emails(host.settings)
    opened = await http.post("/api/sessions", json={"channel": "chat", "customer_id": scenario.caller})
    opened.raise_for_status()
    headers = {"x-session-id": opened.json()["session_id"], "x-session-token": opened.json()["token"]}
    result, effects, transfers = ScenarioScore(scenario), [], []
    for expected in scenario.turns:
        started = time.perf_counter()
        answer = await http.post("/api/chat", json={"message": expected.say}, headers=headers)
        latency = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        reply = answer.json()
        calls = [ToolCall.model_validate(c) for c in reply["tool_calls"]]
        effects += effects_of(calls)
        transfers += [c.arguments.get("reason", "") for c in calls if c.name == "transfer_to_human" and c.ok]
        result.turns.append(score_turn(expected, reply["reply"], calls, reply["agent"], latency))
    await http.post("/api/sessions/end", headers=headers)
    after = await snapshot(host.settings, world, await emails(host.settings) - sent_before, transfers)
    score_end(scenario, world, effects, after, result)
    return result


async def run(scenarios: list[Scenario], host: Host, world: World) -> list[ScenarioScore]:
    try:
        async with httpx.AsyncClient(base_url=host.base_url, headers={"x-service-key": host.service_key},
                                     timeout=60) as http:
            return [await run_scenario(s, host, world, http) for s in scenarios]
    finally:
        await cosmos_store(host.settings).close()


def on_a_host(scenarios: list[Scenario], world: World, workdir: Path, endpoints: Endpoints) -> list[ScenarioScore]:
    """Starts a host of the function app on a free port over the stack at `endpoints` (as the tests do), loads
    the sample knowledge corpus through the blob trigger, runs the scenarios against it, and stops it."""
    import asyncio

    from local.demo import load_documents
    from tests.hosting import product_host

    process = product_host(workdir, endpoints.as_settings())
    try:
        process.start()
        with process.admin() as admin:
            load_documents(admin)
        settings = Settings(**{**endpoints.as_settings(), **process.env})
        return asyncio.run(run(scenarios, Host(process.base_url, process.service_key, settings), world))
    finally:
        process.stop()


def serve_and_run(scenarios: list[Scenario], world: World, workdir: Path) -> list[ScenarioScore]:
    """The same on a local stack of its own, on free ports, stopped afterwards."""
    from local.stack import Stack

    stack = Stack(workdir / "stack")
    try:
        return on_a_host(scenarios, world, workdir / "host", stack.up(prefer_standard_ports=False))
    finally:
        stack.down()
