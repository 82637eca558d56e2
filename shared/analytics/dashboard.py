"""Dashboard figures kept as counters in one document, updated as conversations are written.

Serving the dashboard is one point read, however many conversations there are: the counter
document holds one number per topic, product, agent, sentiment, outcome and day (a few thousand
keys a decade, far below Cosmos DB's 2 MB item limit).

Exactly once: conversations are counted in contributions (a generation batch, a deleted
customer's conversations), each under a key that the same conditional replace adds to the
document's `applied` set together with the counts. A contribution repeated after a crash finds its
key and changes nothing; one whose writer died before counting is counted when its step runs again
(a Durable activity does, at least once). Keys are per batch, not per conversation, so the set
stays small: a 5000-conversation company adds 200, each deleted customer one.
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
from shared.data.repositories import update

COUNTERS_ID = "conversations"
DIMENSIONS = ("topic", "product", "agent", "sentiment", "outcome", "day")


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


class _AlreadyApplied(Exception):  # noqa: N818 (a signal, not an error)
    pass


class Dashboard:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def add(self, key: str, conversations: Iterable[Conversation], sign: int = 1) -> bool:
        """Counts the conversations (`sign` -1 uncounts them) unless `key` was applied already;
        True when this call applied it."""
        figures = tally(conversations)

        def apply(current: dict[str, Any]) -> dict[str, Any]:
            if key in current.get("applied", {}):
                raise _AlreadyApplied
            changed = {**current, "applied": {**current.get("applied", {}), key: True},
                       "conversations": current["conversations"] + sign * figures["conversations"]}
            for dimension in DIMENSIONS:
                counts = Counter(current[f"by_{dimension}"])
                counts.update({k: sign * n for k, n in figures[f"by_{dimension}"].items()})
                changed[f"by_{dimension}"] = dict(sorted(counts.items()))
            return changed

        try:
            try:
                await update(self._container, COUNTERS_ID, COUNTERS_ID, apply)
            except CosmosResourceNotFoundError:
                await self._create_empty()
                await update(self._container, COUNTERS_ID, COUNTERS_ID, apply)
        except _AlreadyApplied:
            return False
        return True

    async def figures(self) -> dict[str, Any]:
        try:
            counters = document(await self._container.read_item(COUNTERS_ID, partition_key=COUNTERS_ID))
        except CosmosResourceNotFoundError:
            return tally([])
        counters.pop("id")
        counters.pop("applied", None)
        # Keys a deletion brought back to zero are not worth showing.
        return {key: {k: n for k, n in sorted(value.items()) if n} if isinstance(value, dict) else value
                for key, value in counters.items()}

    async def rebuild(self, conversations: Iterable[Conversation]) -> dict[str, Any]:
        """Recounts from the raw items, keeping the applied keys: run it while nothing writes conversations."""
        figures = tally(conversations)

        def recount(current: dict[str, Any]) -> dict[str, Any]:
            return {**current, **figures}

        try:
            await update(self._container, COUNTERS_ID, COUNTERS_ID, recount)
        except CosmosResourceNotFoundError:
            await self._container.upsert_item({"id": COUNTERS_ID, **figures})
        return figures

    async def _create_empty(self) -> None:
        with contextlib.suppress(CosmosResourceExistsError):  # a concurrent writer created it first
            await self._container.create_item({"id": COUNTERS_ID, **tally([]), "applied": {}})
