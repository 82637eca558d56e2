"""The Cosmos DB connection: one async client per event loop, containers created on first use.

The same code serves Azure Cosmos DB and the local stand-in; only settings differ.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient, DatabaseProxy

from shared.azure_http import transport
from shared.credentials import cosmos_credential
from shared.settings import Settings

# Partition keys follow the access patterns:
CONTAINERS = {
    # The one synthetic company and the state of its generation.
    "company": "/id",
    # Tools read and write one verified customer by id (point reads); the caller's phone number is
    # looked up once per call, a cross-partition query on an indexed field.
    "customers": "/id",
    # A small catalog, listed whole and changed one product (its stock) at a time.
    "products": "/id",
    # A customer's purchase history is one partition; orders are written for one customer.
    "purchases": "/customer_id",
    # Likewise a customer's past conversations.
    "conversations": "/customer_id",
    # Returns and complaints a person follows up: a customer's cases are one partition.
    "cases": "/customer_id",
    # Counter documents the dashboard reads in one point read.
    "dashboard": "/id",
    # One status per knowledge document, read and written by its name.
    "documents": "/id",
    # Conversations with an identified caller: every tool call reads one by id.
    "sessions": "/id",
    # One item per phone call, created by whoever answers it first: Event Grid delivers at least once.
    "calls": "/id",
}
# Containers whose items carry their own `ttl`: Cosmos DB deletes them once it runs out.
EXPIRING = {"sessions", "calls"}


class CosmosStore:
    """Owns the async client of one event loop and the containers it has made sure of."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client = CosmosClient(settings.cosmos_endpoint, credential=cosmos_credential(settings),
                                    connection_verify=settings.cosmos_verify_tls, transport=transport())
        self._database: DatabaseProxy | None = None
        self._containers: dict[str, ContainerProxy] = {}
        self._lock = asyncio.Lock()

    async def container(self, name: str) -> ContainerProxy:
        if name not in self._containers:
            async with self._lock:
                if name not in self._containers:
                    database = await self._ensure_database()
                    self._containers[name] = await database.create_container_if_not_exists(
                        name, partition_key=PartitionKey(CONTAINERS[name]),
                        default_ttl=-1 if name in EXPIRING else None)
        return self._containers[name]

    async def _ensure_database(self) -> DatabaseProxy:
        if self._database is None:
            self._database = await self._client.create_database_if_not_exists(self._settings.cosmos_database)
        return self._database

    async def drop_all(self) -> None:
        """Deletes the database; the next use creates it empty."""
        async with self._lock:
            await self._client.delete_database(self._settings.cosmos_database)
            self._database, self._containers = None, {}

    async def close(self) -> None:
        await self._client.close()


_stores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], CosmosStore]] = (
    weakref.WeakKeyDictionary())


def cosmos_store(settings: Settings) -> CosmosStore:
    """The running loop's store of this account and database: an async client cannot change loops."""
    stores = _stores.setdefault(asyncio.get_running_loop(), {})
    key = (settings.cosmos_endpoint, settings.cosmos_database)
    if key not in stores:
        stores[key] = CosmosStore(settings)
    return stores[key]


def document(item: dict[str, Any]) -> dict[str, Any]:
    """An item without Cosmos system fields (`_etag`, `_rid`, ...)."""
    return {key: value for key, value in item.items() if not key.startswith("_")}
