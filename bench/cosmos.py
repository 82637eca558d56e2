"""The Cosmos stand-in's round trip for what a tool call does: a point read, then a replace with its etag.

Through the async SDK as the product uses it, one call after another, 500 pairs after a warm-up,
on a stack of its own; also the create rate. Each write is acknowledged once its journal line is
fdatasync'ed, so the disk's own fdatasync time (printed first) is part of every write's.
Run: .venv/bin/python bench/cosmos.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from azure.core import MatchConditions
from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.stack import Stack  # noqa: E402

PAIRS, WARM_UP, CREATES = 500, 50, 500


def fdatasync_ms(folder: Path, rounds: int = 200) -> float:
    """Median time of appending a line and fdatasync'ing it, in `folder`."""
    timings = []
    with (folder / "fdatasync.probe").open("ab") as probe:
        for _ in range(rounds):
            began = time.perf_counter()
            probe.write(b"[{}]\n")
            probe.flush()
            os.fdatasync(probe.fileno())
            timings.append((time.perf_counter() - began) * 1000)
    (folder / "fdatasync.probe").unlink()
    return statistics.median(timings)


async def read_replace(container: ContainerProxy) -> list[float]:
    await container.create_item({"id": "cust-1", "name": "Ada", "visits": 0})
    timings = []
    for n in range(PAIRS + WARM_UP):
        began = time.perf_counter()
        item = await container.read_item("cust-1", partition_key="cust-1")
        await container.replace_item("cust-1", {**item, "visits": item["visits"] + 1}, etag=item["_etag"],
                                     match_condition=MatchConditions.IfNotModified)
        if n >= WARM_UP:
            timings.append((time.perf_counter() - began) * 1000)
    return timings


async def create_rate(container: ContainerProxy) -> float:
    began = time.perf_counter()
    for n in range(CREATES):
        await container.create_item({"id": f"item-{n}", "name": "Ada"})
    return CREATES / (time.perf_counter() - began)


async def measure(stack_dir: Path) -> None:
    print(f"append + fdatasync on this disk: p50 {fdatasync_ms(stack_dir):.2f} ms")
    endpoints = Stack(stack_dir).up(prefer_standard_ports=False)
    async with CosmosClient(endpoints.cosmos_endpoint, credential=endpoints.cosmos_key,
                            connection_verify=False) as client:
        database = await client.create_database_if_not_exists("bench")
        container = await database.create_container_if_not_exists("customers", partition_key=PartitionKey("/id"))
        timings = await read_replace(container)
        rate = await create_rate(container)
    p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
    print(f"point read + replace with etag, {PAIRS} pairs: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    print(f"create, {CREATES} one after another: {rate:.0f} items/s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-cosmos-") as state:
        try:
            asyncio.run(measure(Path(state)))
        finally:
            Stack(Path(state)).down()


if __name__ == "__main__":
    main()
