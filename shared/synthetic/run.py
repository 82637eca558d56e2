"""One generation run: the work it splits into, and each step's effect on the stored company.

Every batch is generated from the seed alone, so batches run in parallel and in any order, and a
batch repeated after a crash writes the same items (creates that skip what exists).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from shared.data.access import BusinessData
from shared.data.company import CompanyRecord, RunStatus
from shared.offloop import in_process
from shared.synthetic import offline
from shared.synthetic.llm import LlmWriter
from shared.synthetic.spec import CompanySpec, batches

BATCH_SIZES = {"customers": 25, "products": 20, "purchases": 100, "conversations": 25}
# Purchases and conversations refer to customers and products: those are written first.
STAGES = (("customers", "products"), ("purchases", "conversations"))
KINDS = tuple(kind for stage in STAGES for kind in stage)

Generator = Callable[[CompanySpec, int, int], Sequence[BaseModel]]
GENERATORS: dict[str, Generator] = {
    "customers": offline.generate_customers,
    "products": offline.generate_products,
    "purchases": offline.generate_purchases,
    "conversations": offline.generate_conversations,
}


def stages(spec: CompanySpec) -> list[list[dict[str, Any]]]:
    """The batches of each stage, as activity inputs."""
    return [
        [{"kind": kind, "start": start, "count": count}
         for kind in stage for start, count in batches(getattr(spec, kind), BATCH_SIZES[kind])]
        for stage in STAGES
    ]


async def begin(data: BusinessData, spec: CompanySpec, run_id: str, now: datetime) -> bool:
    record = CompanyRecord(name=spec.name, industry=spec.industry, seed=spec.seed, run_id=run_id,
                           status=RunStatus.GENERATING, requested={k: getattr(spec, k) for k in KINDS},
                           started_at=now)
    return await data.companies.begin(record)


def _writer(data: BusinessData, kind: str, batch: str) -> Callable[[Sequence[Any]], Awaitable[int]]:
    if kind == "conversations":  # counted on the dashboard once per batch, keyed on it
        return lambda items: data.conversations.record_many(items, batch)
    return {
        "customers": data.customers.create_many,
        "products": data.products.create_many,
        "purchases": data.purchases.create_many,
    }[kind]


async def write_batch(data: BusinessData, spec: CompanySpec, run_id: str, *, kind: str, start: int,
                      count: int, writer: LlmWriter | None = None) -> dict[str, Any]:
    """Generates and stores one batch; with a `writer`, the LLM writes the text of each item."""
    items = await in_process(GENERATORS[kind], spec, start, count)
    if writer is not None:
        items = await writer.rewrite(kind, items)
    batch = f"{kind}:{start}"
    created = await _writer(data, kind, f"{run_id}/{batch}")(items)
    skipped = count - len(items)
    await data.companies.record_batch(run_id, batch, len(items), skipped)
    return {"kind": kind, "stored": len(items), "created": created, "skipped": skipped}


async def finish(data: BusinessData, run_id: str, status: RunStatus, now: datetime, error: str | None) -> None:
    await data.companies.finish(run_id, status, now, error)


def orchestration_input(spec: CompanySpec, run_id: str) -> dict[str, Any]:
    return {"run_id": run_id, "spec": spec.model_dump(), "stages": stages(spec),
            "totals": {kind: getattr(spec, kind) for kind in KINDS}}
