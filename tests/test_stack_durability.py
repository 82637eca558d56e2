"""The Cosmos stand-in keeps what it acknowledged: across a stop, a SIGKILL and a torn last write.

Each test runs a stack of its own on a data folder that outlives it, writes through the SDK the
product uses, restarts the stack on the same folder and reads everything back. Also item time to
live, which Cosmos DB sessions rely on.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core import MatchConditions
from azure.cosmos import ContainerProxy, CosmosClient, DatabaseProxy, PartitionKey
from azure.cosmos.aio import CosmosClient as AsyncCosmosClient
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)

from local import processes
from local.stack import COSMOS_BIN, COSMOS_KEY, Endpoints, Stack
from shared.data.cosmos import CONTAINERS

DATABASE = "callcenter"


@pytest.fixture
def stack_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    Stack(tmp_path).down()


def database(endpoints: Endpoints) -> DatabaseProxy:
    client = CosmosClient(endpoints.cosmos_endpoint, credential=endpoints.cosmos_key, connection_verify=False)
    return client.create_database_if_not_exists(DATABASE)


def container(db: DatabaseProxy, name: str, **options: Any) -> ContainerProxy:
    return db.create_container_if_not_exists(name, partition_key=PartitionKey(CONTAINERS[name]), **options)


def fill(db: DatabaseProxy) -> dict[str, list[dict]]:
    """Three items in every container the product uses, one changed each way the product changes items."""
    written: dict[str, list[dict]] = {}
    for name, key in CONTAINERS.items():
        items = container(db, name, default_ttl=-1) if name == "sessions" else container(db, name)
        field = key.lstrip("/")
        made = [items.create_item({"id": f"{name}-{n}", field: f"{name}-{n}" if field == "id" else "cust-1",
                                   "n": n, "nested": {"tags": ["a", n]}}) for n in range(3)]
        made[0] = items.replace_item(made[0]["id"], {**made[0], "n": 10}, etag=made[0]["_etag"],
                                     match_condition=MatchConditions.IfNotModified)
        made[1] = items.patch_item(made[1]["id"], partition_key=made[1][field],
                                   patch_operations=[{"op": "incr", "path": "/n", "value": 5}])
        items.delete_item(made[2]["id"], partition_key=made[2][field])
        written[name] = made[:2]
    return written


def assert_read_back(db: DatabaseProxy, written: dict[str, list[dict]]) -> None:
    for name, key in CONTAINERS.items():
        items, field = db.get_container_client(name), key.lstrip("/")
        for item in written[name]:
            assert items.read_item(item["id"], partition_key=item[field]) == item  # _etag, _ts, _rid too
        stored = list(items.query_items("SELECT * FROM c ORDER BY c.n", enable_cross_partition_query=True))
        assert stored == sorted(written[name], key=lambda item: item["n"])  # the deleted one stays deleted
    assert db.get_container_client("sessions").read()["defaultTtl"] == -1


def test_everything_survives_a_stop_and_a_kill(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    written = fill(database(stack.up(prefer_standard_ports=False)))
    stack.down()
    db = database(stack.up(prefer_standard_ports=False))
    assert_read_back(db, written)
    customers = db.get_container_client("customers")
    more = customers.create_item({"id": "customers-9", "n": 9})  # the _rid counter came back too
    assert more["_rid"] not in {item["_rid"] for item in written["customers"]}
    written["customers"].append(more)

    crash_cosmos(stack)
    db = database(stack.up(prefer_standard_ports=False))
    assert_read_back(db, written)


def test_no_rid_is_given_twice_even_after_everything_was_deleted(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    client = CosmosClient(stack.up(prefer_standard_ports=False).cosmos_endpoint, credential=COSMOS_KEY,
                          connection_verify=False)
    gone = client.create_database("old")
    old_rid = gone.read()["_rid"]
    client.delete_database("old")
    for _ in range(2):  # the first start compacts the journal down to nothing, the second reads that
        stack.down()
        stack.up(prefer_standard_ports=False)
    client = CosmosClient(stack.up(prefer_standard_ports=False).cosmos_endpoint, credential=COSMOS_KEY,
                          connection_verify=False)
    assert client.create_database("new").read()["_rid"] != old_rid


def test_etags_and_conflicts_hold_across_a_restart(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    orders = container(database(stack.up(prefer_standard_ports=False)), "purchases")
    first = orders.create_item({"id": "o1", "customer_id": "c1", "units": 1})
    stale = dict(first)
    current = orders.replace_item("o1", {**first, "units": 2}, etag=first["_etag"],
                                  match_condition=MatchConditions.IfNotModified)
    stack.down()
    orders = database(stack.up(prefer_standard_ports=False)).get_container_client("purchases")
    with pytest.raises(CosmosAccessConditionFailedError):
        orders.replace_item("o1", {**stale, "units": 3}, etag=stale["_etag"],
                            match_condition=MatchConditions.IfNotModified)
    with pytest.raises(CosmosResourceExistsError):
        orders.create_item({"id": "o1", "customer_id": "c1"})
    orders.replace_item("o1", {**current, "units": 4}, etag=current["_etag"],
                        match_condition=MatchConditions.IfNotModified)
    assert [o["units"] for o in orders.query_items("SELECT * FROM c", partition_key="c1")] == [4]


async def test_concurrent_acknowledged_writes_survive_a_kill(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    endpoints = stack.up(prefer_standard_ports=False)
    async with AsyncCosmosClient(endpoints.cosmos_endpoint, credential=endpoints.cosmos_key,
                                 connection_verify=False) as client:
        db = await client.create_database_if_not_exists(DATABASE)
        customers = await db.create_container_if_not_exists("customers", partition_key=PartitionKey("/id"))
        dashboard = await db.create_container_if_not_exists("dashboard", partition_key=PartitionKey("/id"))
        await dashboard.create_item({"id": "totals", "conversations": 0})
        increment = [{"op": "incr", "path": "/conversations", "value": 1}]
        await asyncio.gather(*(customers.create_item({"id": f"c{n}"}) for n in range(150)),
                             *(dashboard.patch_item("totals", partition_key="totals", patch_operations=increment)
                               for _ in range(150)))
    crash_cosmos(stack)
    lines = (stack_dir / "cosmos" / "journal.jsonl").read_text().splitlines()
    assert max(len(json.loads(line)) for line in lines) > 1  # writes in flight together went to disk together
    db = database(stack.up(prefer_standard_ports=False))
    stored = db.get_container_client("customers").query_items("SELECT VALUE c.id FROM c",
                                                              enable_cross_partition_query=True)
    assert sorted(stored) == sorted(f"c{n}" for n in range(150))
    assert db.get_container_client("dashboard").read_item("totals", partition_key="totals")["conversations"] == 150


def test_the_journal_is_compacted_while_the_stand_in_runs(stack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSMOS_JOURNAL_COMPACT_BYTES", "20000")
    stack = Stack(stack_dir)
    counters = container(database(stack.up(prefer_standard_ports=False)), "dashboard")
    counters.create_item({"id": "totals", "n": 0, "padding": "x" * 500})
    increment = [{"op": "incr", "path": "/n", "value": 1}]
    for _ in range(200):  # about 120 kB of journal without compaction
        counters.patch_item("totals", partition_key="totals", patch_operations=increment)
    assert (stack_dir / "cosmos" / "journal.jsonl").stat().st_size < 25000
    crash_cosmos(stack)
    counters = database(stack.up(prefer_standard_ports=False)).get_container_client("dashboard")
    assert counters.read_item("totals", partition_key="totals")["n"] == 200


def test_a_torn_last_write_is_dropped_and_the_rest_kept(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    customers = container(database(stack.up(prefer_standard_ports=False)), "customers")
    kept = customers.create_item({"id": "c1", "name": "Ada"})
    crash_cosmos(stack)
    journal = stack_dir / "cosmos" / "journal.jsonl"
    with journal.open("a") as file:  # what a crash in the middle of a write leaves
        file.write('[{"put":{"id":"c2","_self":"/dbs/')
    customers = database(stack.up(prefer_standard_ports=False)).get_container_client("customers")
    assert list(customers.query_items("SELECT * FROM c", enable_cross_partition_query=True)) == [kept]
    customers.create_item({"id": "c3"})
    assert journal.read_text().endswith("\n")


def test_a_corrupt_journal_stops_the_stand_in_with_a_reason(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    container(database(stack.up(prefer_standard_ports=False)), "customers").create_item({"id": "c1"})
    stack.down()
    journal = stack_dir / "cosmos" / "journal.jsonl"
    journal.write_text("not json\n" + journal.read_text())
    with pytest.raises(RuntimeError, match=r"journal\.jsonl:1 is corrupt"):
        stack.up(prefer_standard_ports=False)
    assert "not json" in journal.read_text()  # nothing thrown away


def crash_cosmos(stack: Stack) -> None:
    """SIGKILL: no shutdown code runs."""
    state = stack._state()
    assert state is not None
    os.kill(state["cosmos_pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while processes.is_ours(state["cosmos_pid"], COSMOS_BIN.name) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert Stack.running(stack.data_dir) is None


def expire(item: dict) -> None:
    """Waits until the item is past its time to live."""
    time.sleep(max(0.0, item["_ts"] + item["ttl"] - time.time()) + 0.1)


def test_items_past_their_ttl_are_gone_and_purged(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    db = database(stack.up(prefer_standard_ports=False))
    sessions = container(db, "sessions", default_ttl=-1)
    short = sessions.create_item({"id": "s1", "ttl": 2})
    lasting = [sessions.create_item({"id": "s2", "ttl": 3600}), sessions.create_item({"id": "s3"}),
               sessions.create_item({"id": "s4", "ttl": -1})]
    assert sessions.read_item("s1", partition_key="s1") == short
    expire(short)
    with pytest.raises(CosmosResourceNotFoundError):
        sessions.read_item("s1", partition_key="s1")
    everything = "SELECT * FROM c ORDER BY c.id"
    assert list(sessions.query_items(everything, enable_cross_partition_query=True)) == lasting
    with pytest.raises(CosmosResourceNotFoundError):
        sessions.replace_item("s1", short)
    again = sessions.create_item({"id": "s1", "ttl": 2})  # its id is free again
    sessions.patch_item("s1", partition_key="s1", patch_operations=[{"op": "set", "path": "/ttl", "value": 600}])
    expire(again)
    assert sessions.read_item("s1", partition_key="s1")["ttl"] == 600  # a write restarts the clock

    stack.down()
    sessions = database(stack.up(prefer_standard_ports=False)).get_container_client("sessions")
    assert [s["id"] for s in sessions.query_items(everything, enable_cross_partition_query=True)] == [
        "s1", "s2", "s3", "s4"]


def test_the_sweep_purges_expired_items_that_nobody_reads(stack_dir: Path) -> None:
    stack = Stack(stack_dir)
    db = database(stack.up(prefer_standard_ports=False))
    sessions = container(db, "sessions", default_ttl=-1)
    item = sessions.create_item({"id": "forgotten", "ttl": 1})
    journal = stack_dir / "cosmos" / "journal.jsonl"
    purged = json.dumps([{"kind": "docs", "del": item["_rid"]}], separators=(",", ":"))
    deadline = time.monotonic() + 10
    while not journal.read_text().rstrip().endswith(purged) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert journal.read_text().rstrip().endswith(purged)
    assert time.time() >= item["_ts"] + 1
    stack.down()
    stack.up(prefer_standard_ports=False)
    assert "forgotten" not in journal.read_text()  # compacted away


def test_container_default_ttl_and_item_overrides(stack_dir: Path) -> None:
    db = database(Stack(stack_dir).up(prefer_standard_ports=False))
    expiring = db.create_container(f"e{uuid.uuid4().hex[:6]}", partition_key=PartitionKey("/id"), default_ttl=2)
    plain = db.create_container(f"p{uuid.uuid4().hex[:6]}", partition_key=PartitionKey("/id"))
    gone = expiring.create_item({"id": "default"})
    kept = expiring.create_item({"id": "forever", "ttl": -1})
    ignored = plain.create_item({"id": "no-ttl-here", "ttl": 1})  # without a container TTL, item ttl is ignored
    expire({**gone, "ttl": 2})
    assert list(expiring.query_items("SELECT * FROM c", enable_cross_partition_query=True)) == [kept]
    assert plain.read_item("no-ttl-here", partition_key="no-ttl-here") == ignored

