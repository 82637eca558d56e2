"""Dashboard figures kept as counters, incremented as each conversation is written.

Serving the dashboard is one point read, however many conversations there are: at a million
conversations the counter document still holds one number per topic, product, agent, sentiment,
outcome and day (a few thousand keys a decade, far below Cosmos DB's 2 MB item limit).
Patch increments are atomic in Cosmos DB, so concurrent writers never lose a count. If a process
dies between writing a conversation and counting it, `rebuild` recounts from the raw items.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from azure.cosmos.aio import ContainerProxy
from azure.cosmos.exceptions import CosmosResourceExistsError, CosmosResourceNotFoundError

from shared.data.cosmos import document
from shared.data.models import Conversation

COUNTERS_ID = "conversations"
DIMENSIONS = ("topic", "product", "agent", "sentiment", "outcome", "day")
MAX_PATCH_OPERATIONS = 10  # Cosmos DB's limit per patch request


def keys_of(conversation: Conversation) -> dict[str, list[str]]:
    """The counter keys one conversation adds one to, per dimension."""
    return {
        "topic": [conversation.topic],
        "product": [conversation.product_id or "none"],
        "agent": list(dict.fromkeys(conversation.agents)),
        "sentiment": [conversation.sentiment.value],
        "outcome": [conversation.outcome.value],
        "day": [conversation.started_at.date().isoformat()],
    }


def tally(conversations: Iterable[Conversation]) -> dict[str, Any]:
    """The dashboard figures computed from raw conversations."""
    total, counters = 0, {dimension: Counter[str]() for dimension in DIMENSIONS}
    for conversation in conversations:
        total += 1
        for dimension, keys in keys_of(conversation).items():
            counters[dimension].update(keys)
    return {"conversations": total, **{f"by_{d}": dict(sorted(c.items())) for d, c in counters.items()}}


def _pointer(key: str) -> str:
    """A counter key as a JSON Pointer segment (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class Dashboard:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def count(self, conversation: Conversation, delta: int = 1) -> None:
        """Adds `delta` (-1 when a conversation is deleted) to each of the conversation's counters."""
        operations = [{"op": "incr", "path": "/conversations", "value": delta}]
        for dimension, keys in keys_of(conversation).items():
            operations += [{"op": "incr", "path": f"/by_{dimension}/{_pointer(k)}", "value": delta} for k in keys]
        for start in range(0, len(operations), MAX_PATCH_OPERATIONS):
            chunk = operations[start:start + MAX_PATCH_OPERATIONS]
            try:
                await self._container.patch_item(COUNTERS_ID, COUNTERS_ID, chunk)
            except CosmosResourceNotFoundError:
                await self._create_empty()
                await self._container.patch_item(COUNTERS_ID, COUNTERS_ID, chunk)

    async def figures(self) -> dict[str, Any]:
        try:
            counters = document(await self._container.read_item(COUNTERS_ID, partition_key=COUNTERS_ID))
        except CosmosResourceNotFoundError:
            return tally([])
        counters.pop("id")
        # Keys a deletion brought back to zero are not worth showing.
        return {key: {k: n for k, n in sorted(value.items()) if n} if isinstance(value, dict) else value
                for key, value in counters.items()}

    async def rebuild(self, conversations: Iterable[Conversation]) -> dict[str, Any]:
        figures = tally(conversations)
        await self._container.upsert_item({"id": COUNTERS_ID, **figures})
        return figures

    async def _create_empty(self) -> None:
        # Parent maps must exist before a patch can add keys to them.
        with contextlib.suppress(CosmosResourceExistsError):  # a concurrent writer created it first
            await self._container.create_item({"id": COUNTERS_ID, **tally([])})
