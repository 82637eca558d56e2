"""One record per phone call: created by whoever answers it first (Event Grid delivers at least once),
it names the call's session and, once answered, its call connection."""

from __future__ import annotations

from datetime import UTC, datetime

from azure.cosmos.aio import ContainerProxy
from pydantic import BaseModel

from shared.data.repositories import create_if_absent, read, update

KEPT_SECONDS = 24 * 3600


class CallRecord(BaseModel):
    id: str  # the call id (shared.calls.incoming.IncomingCall.call_id)
    caller: str  # kept here, not in the orchestration's history: a day's TTL, like the session
    claimed_at: datetime
    connection_id: str | None = None
    session_id: str | None = None  # opened right after the answer went out
    ttl: int = KEPT_SECONDS


class CallRecords:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def claim(self, call_id: str, caller: str) -> bool:
        """True for the one delivery that gets to answer the call."""
        return await create_if_absent(self._container, CallRecord(id=call_id, caller=caller,
                                                                  claimed_at=datetime.now(UTC)))

    async def answered(self, call_id: str, connection_id: str) -> None:
        await update(self._container, call_id, call_id, lambda r: {**r, "connection_id": connection_id})

    async def with_session(self, call_id: str, session_id: str) -> None:
        await update(self._container, call_id, call_id, lambda r: {**r, "session_id": session_id})

    async def get(self, call_id: str) -> CallRecord | None:
        return await read(self._container, CallRecord, call_id, call_id)


async def call_records(settings: object) -> CallRecords:
    from shared.data.cosmos import cosmos_store

    return CallRecords(await cosmos_store(settings).container("calls"))  # type: ignore[arg-type]
