"""The synthetic company's record: what was asked for and how far its generation got.

A run that fails or is cancelled leaves its record marked so, with the counts it wrote, so
nobody takes a half-written company for a complete one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from azure.cosmos.aio import ContainerProxy
from pydantic import BaseModel, ConfigDict

from shared.data.repositories import create_if_absent, read, update

RECORD_ID = "current"


class RunStatus(StrEnum):
    GENERATING = "generating"
    COMPLETE = "complete"
    FAILED = "failed"
    CANCELLED = "cancelled"


class CompanyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = RECORD_ID
    name: str
    industry: str
    seed: int
    run_id: str
    status: RunStatus
    requested: dict[str, int]
    # Per batch ("customers:25"): items stored and items skipped. Set, not added, so that a batch
    # repeated after a crash is not counted twice.
    batches: dict[str, dict[str, int]] = {}
    started_at: datetime
    finished_at: datetime | None = None
    error: str | None = None

    def as_seen(self, orchestration_status: str | None) -> dict[str, Any]:
        """The record for people, marked failed if its run died before it could say so itself."""
        seen = {**self.model_dump(mode="json", exclude={"batches"}), "totals": self.totals()}
        if self.status is RunStatus.GENERATING and orchestration_status in {"Failed", "Terminated", "Completed"}:
            seen |= {"status": RunStatus.FAILED.value, "error": f"the run ended ({orchestration_status}) unfinished"}
        return seen

    def totals(self) -> dict[str, dict[str, int]]:
        """Stored and skipped items per kind."""
        found = {kind: {"stored": 0, "skipped": 0} for kind in self.requested}
        for batch, counts in self.batches.items():
            kind = batch.split(":")[0]
            for name in ("stored", "skipped"):
                found[kind][name] += counts[name]
        return found


class Companies:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def current(self) -> CompanyRecord | None:
        return await read(self._container, CompanyRecord, RECORD_ID, RECORD_ID)

    async def begin(self, record: CompanyRecord) -> bool:
        """False when a company exists already: there is one per database."""
        return await create_if_absent(self._container, record)

    async def record_batch(self, run_id: str, batch: str, stored: int, skipped: int) -> None:
        def add(current: dict[str, Any]) -> dict[str, Any]:
            if current["run_id"] != run_id:
                return current
            return {**current, "batches": {**current["batches"], batch: {"stored": stored, "skipped": skipped}}}

        await update(self._container, RECORD_ID, RECORD_ID, add)

    async def finish(self, run_id: str, status: RunStatus, finished_at: datetime, error: str | None = None) -> None:
        def close(current: dict[str, Any]) -> dict[str, Any]:
            if current["run_id"] != run_id:
                return current
            return {**current, "status": status.value, "finished_at": finished_at.isoformat(), "error": error}

        await update(self._container, RECORD_ID, RECORD_ID, close)
