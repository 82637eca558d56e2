"""Each knowledge document's state: uploaded, indexing, indexed (with its chunk count) or failed (why)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum

from azure.core import MatchConditions
from azure.cosmos.aio import ContainerProxy
from azure.cosmos.exceptions import CosmosAccessConditionFailedError, CosmosResourceNotFoundError
from pydantic import BaseModel

from shared.data.cosmos import document
from shared.data.repositories import ConflictError, delete_if_present, query, read

# Names become blob names, Cosmos ids and citations: keep them plain.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}$")


class DocumentState(StrEnum):
    UPLOADED = "uploaded"
    INDEXING = "indexing"
    INDEXED = "indexed"
    FAILED = "failed"


class DocumentStatus(BaseModel):
    id: str  # the document's name
    state: DocumentState
    size: int | None = None
    chunks: int | None = None
    reason: str | None = None
    updated_at: datetime


class DocumentStatuses:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def set(self, name: str, state: DocumentState, **fields: object) -> DocumentStatus:
        current = await self.get(name)
        kept = {"size": current.size} if current else {}
        status = DocumentStatus(id=name, state=state, updated_at=datetime.now(UTC), **{**kept, **fields})
        await self._container.upsert_item(status.model_dump(mode="json"))
        return status

    async def set_if_current(self, name: str, state: DocumentState, still_current: Callable[[], Awaitable[bool]],
                             attempts: int = 10, **fields: object) -> bool:
        """Replaces an existing record, if `still_current()` after reading it; never creates one.

        The replace is conditional on the record read: a delete (record gone) or a new upload
        (record rewritten) in between makes it fail, and the next attempt sees why.
        """
        for _ in range(attempts):
            try:
                current = await self._container.read_item(name, partition_key=name)
            except CosmosResourceNotFoundError:
                return False
            if not await still_current():
                return False
            kept = {"size": document(current).get("size")}
            status = DocumentStatus(id=name, state=state, updated_at=datetime.now(UTC), **{**kept, **fields})
            try:
                await self._container.replace_item(name, status.model_dump(mode="json"), etag=current["_etag"],
                                                   match_condition=MatchConditions.IfNotModified)
                return True
            except CosmosResourceNotFoundError:
                return False
            except CosmosAccessConditionFailedError:
                continue
        raise ConflictError(f"the status of {name} changed under us {attempts} times in a row")

    async def get(self, name: str) -> DocumentStatus | None:
        return await read(self._container, DocumentStatus, name, name)

    async def all(self) -> list[DocumentStatus]:
        return await query(self._container, DocumentStatus, "SELECT * FROM c ORDER BY c.id")

    async def delete(self, name: str) -> bool:
        return await delete_if_present(self._container, name, name)
