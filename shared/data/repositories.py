"""Repositories of the business data over Cosmos DB containers.

Writes that a retried activity may repeat are creates that treat "already exists" as done, so a
repeated write never counts twice. Read-modify-write updates carry the item's etag and retry on
a conflict, so concurrent updates never overwrite each other.
"""

from __future__ import annotations

import asyncio
import json
import random
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from azure.core import MatchConditions
from azure.cosmos.aio import ContainerProxy
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)
from pydantic import BaseModel

from shared.data.cosmos import document
from shared.data.models import Address, Case, Conversation, Customer, Product, Purchase, PurchaseStatus

if TYPE_CHECKING:
    from shared.analytics.dashboard import Dashboard

Model = TypeVar("Model", bound=BaseModel)
WRITE_CONCURRENCY = 16
KEPT_RESERVATIONS = 200  # per product: far more orders than can be in flight at once


class ConflictError(RuntimeError):
    """An optimistic update kept losing to concurrent writers."""


class StatusChangedError(RuntimeError):
    """The item was no longer in a state the change starts from (an order shipped in the meantime)."""

    def __init__(self, status: str) -> None:
        super().__init__(f"it is {status} now")
        self.status = status


class OutOfStockError(RuntimeError):
    def __init__(self, available: int) -> None:
        super().__init__(f"only {available} in stock")
        self.available = available


async def create_if_absent(container: ContainerProxy, item: BaseModel) -> bool:
    """True when this call created the item; False when it existed already."""
    try:
        await container.create_item(item.model_dump(mode="json"))
    except CosmosResourceExistsError:
        return False
    return True


async def create_many(container: ContainerProxy, items: Sequence[BaseModel]) -> int:
    """Creates the items that are absent, a bounded number at a time; returns how many were new."""
    gate = asyncio.Semaphore(WRITE_CONCURRENCY)

    async def one(item: BaseModel) -> bool:
        async with gate:
            return await create_if_absent(container, item)

    return sum(await asyncio.gather(*(one(item) for item in items)))


async def read(container: ContainerProxy, model: type[Model], item_id: str, partition: str) -> Model | None:
    try:
        return model.model_validate(document(await container.read_item(item_id, partition_key=partition)))
    except CosmosResourceNotFoundError:
        return None


async def delete_if_present(container: ContainerProxy, item_id: str, partition: str) -> bool:
    """False when there was nothing to delete."""
    try:
        await container.delete_item(item_id, partition_key=partition)
    except CosmosResourceNotFoundError:
        return False
    return True


async def query(container: ContainerProxy, model: type[Model], sql: str, partition: str | None = None,
                **parameters: Any) -> list[Model]:
    options: dict[str, Any] = {"partition_key": partition} if partition is not None else {}
    found = container.query_items(sql, parameters=[{"name": f"@{k}", "value": v} for k, v in parameters.items()],
                                  **options)
    return [model.model_validate(document(item)) async for item in found]


# Writers of one item in this process take turns, so that they never lose races to each other (a hot
# item such as the dashboard's counters had twenty in a row under load); the etag still guards against
# other processes. A lock lives only while a writer holds or awaits it.
_turns: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()


async def update(container: ContainerProxy, item_id: str, partition: str,
                 change: Callable[[dict[str, Any]], dict[str, Any]], attempts: int = 20) -> dict[str, Any]:
    """Applies `change` to the current item under its etag, again on each conflict."""
    key = (container.container_link, item_id)
    async with _turns.setdefault(key, asyncio.Lock()):
        return await _update(container, item_id, partition, change, attempts)


async def _update(container: ContainerProxy, item_id: str, partition: str,
                  change: Callable[[dict[str, Any]], dict[str, Any]], attempts: int) -> dict[str, Any]:
    for attempt in range(attempts):
        if attempt:  # jittered backoff, so that writers who collided do not collide again
            await asyncio.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
        current = await container.read_item(item_id, partition_key=partition)
        before = json.dumps(document(current), sort_keys=True)  # `change` may edit nested values in place
        changed = change(document(current))
        if json.dumps(changed, sort_keys=True, default=str) == before:  # nothing to write, no race to lose
            return current
        try:
            return await container.replace_item(item_id, changed, etag=current["_etag"],
                                                 match_condition=MatchConditions.IfNotModified)
        except CosmosAccessConditionFailedError:
            continue
    raise ConflictError(f"{item_id} changed under us {attempts} times in a row")


class Customers:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def get(self, customer_id: str) -> Customer | None:
        return await read(self._container, Customer, customer_id, customer_id)

    async def by_phone(self, phone: str) -> Customer | None:
        found = await query(self._container, Customer, "SELECT * FROM c WHERE c.phone = @phone", phone=phone)
        return found[0] if found else None

    async def page(self, limit: int, continuation: str | None = None) -> tuple[list[Customer], str | None]:
        pages = self._container.query_items("SELECT * FROM c ORDER BY c.id", max_item_count=limit).by_page(
            continuation)
        async for page in pages:
            return [Customer.model_validate(document(item)) async for item in page], pages.continuation_token
        return [], None

    async def create_many(self, customers: Sequence[Customer]) -> int:
        return await create_many(self._container, customers)

    async def update_address(self, customer_id: str, address: Address) -> Customer:
        """Moves the customer; moving to where they already live changes nothing, so a retry is harmless."""

        def move(current: dict[str, Any]) -> dict[str, Any]:
            if current["address"] == address.model_dump(mode="json"):
                return current
            history = [*current.get("previous_addresses", []), current["address"]]
            return {**current, "address": address.model_dump(mode="json"), "previous_addresses": history}

        return Customer.model_validate(document(await update(self._container, customer_id, customer_id, move)))

    async def update_contact(self, customer_id: str, email: str | None, phone: str | None) -> Customer:
        """Sets the email and/or phone; setting what is already there writes nothing, so a retry is harmless."""
        given = {k: v for k, v in (("email", email), ("phone", phone)) if v is not None}
        return Customer.model_validate(document(await update(self._container, customer_id, customer_id,
                                                             lambda current: {**current, **given})))

    async def delete(self, customer_id: str) -> bool:
        return await delete_if_present(self._container, customer_id, customer_id)


class Products:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def get(self, product_id: str) -> Product | None:
        return await read(self._container, Product, product_id, product_id)

    async def all(self) -> list[Product]:
        return await query(self._container, Product, "SELECT * FROM c ORDER BY c.id")

    async def create_many(self, products: Sequence[Product]) -> int:
        return await create_many(self._container, products)

    async def reserve(self, product_id: str, quantity: int, order_id: str) -> Product:
        """Takes `quantity` out of stock for an order, under the item's etag, once per order id;
        raises OutOfStockError if short."""

        def take(current: dict[str, Any]) -> dict[str, Any]:
            reserved = current.get("reserved_for", [])
            if order_id in reserved:
                return current
            if current["stock"] < quantity:
                raise OutOfStockError(current["stock"])
            return {**current, "stock": current["stock"] - quantity,
                    "reserved_for": [*reserved, order_id][-KEPT_RESERVATIONS:]}

        return Product.model_validate(document(await update(self._container, product_id, product_id, take)))

    async def restock(self, product_id: str, quantity: int, order_id: str) -> Product:
        """Puts a cancelled order's quantity back, under the item's etag, once per order id."""

        def put_back(current: dict[str, Any]) -> dict[str, Any]:
            restocked = current.get("restocked_for", [])
            if order_id in restocked:
                return current
            return {**current, "stock": current["stock"] + quantity,
                    "restocked_for": [*restocked, order_id][-KEPT_RESERVATIONS:]}

        return Product.model_validate(document(await update(self._container, product_id, product_id, put_back)))


class Purchases:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def of_customer(self, customer_id: str) -> list[Purchase]:
        return await query(self._container, Purchase, "SELECT * FROM c WHERE c.customer_id = @customer ORDER BY"
                           " c.purchased_at DESC", partition=customer_id, customer=customer_id)

    async def create_many(self, purchases: Sequence[Purchase]) -> int:
        return await create_many(self._container, purchases)

    async def create(self, purchase: Purchase) -> bool:
        return await create_if_absent(self._container, purchase)

    async def get(self, customer_id: str, purchase_id: str) -> Purchase | None:
        return await read(self._container, Purchase, purchase_id, customer_id)

    async def set_status(self, customer_id: str, purchase_id: str, status: PurchaseStatus) -> Purchase:
        item = await update(self._container, purchase_id, customer_id, lambda p: {**p, "status": status.value})
        return Purchase.model_validate(document(item))

    async def change_status(self, customer_id: str, purchase_id: str, starts_from: set[PurchaseStatus],
                            status: PurchaseStatus) -> Purchase:
        """Moves the purchase to `status` only from one of `starts_from`, under its etag; already there is done.
        Raises StatusChangedError otherwise (it shipped while the caller was confirming)."""

        def move(current: dict[str, Any]) -> dict[str, Any]:
            if current["status"] == status.value:
                return current
            if current["status"] not in starts_from:
                raise StatusChangedError(current["status"])
            return {**current, "status": status.value}

        return Purchase.model_validate(document(await update(self._container, purchase_id, customer_id, move)))

    async def forget_customer(self, customer_id: str) -> int:
        gone = await self.of_customer(customer_id)
        for purchase in gone:
            await self._container.delete_item(purchase.id, partition_key=customer_id)
        return len(gone)


class Cases:
    """Returns and complaints; a case's id is chosen by what it is about, so a repeated write finds it."""

    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def open(self, case: Case) -> Case:
        """The case, created or, when its id exists already, as first stored."""
        if await create_if_absent(self._container, case):
            return case
        return await read(self._container, Case, case.id, case.customer_id) or case

    async def get(self, customer_id: str, case_id: str) -> Case | None:
        return await read(self._container, Case, case_id, customer_id)

    async def of_customer(self, customer_id: str) -> list[Case]:
        return await query(self._container, Case, "SELECT * FROM c WHERE c.customer_id = @customer",
                           partition=customer_id, customer=customer_id)

    async def forget_customer(self, customer_id: str) -> int:
        gone = await self.of_customer(customer_id)
        for case in gone:
            await delete_if_present(self._container, case.id, customer_id)
        return len(gone)


class Conversations:
    """Conversations, each counted once on the dashboard: a batch's conversations are written,
    then counted as one contribution keyed on the batch (see `shared.analytics.dashboard`)."""

    def __init__(self, container: ContainerProxy, dashboard: Dashboard) -> None:
        self._container = container
        self._dashboard = dashboard

    async def of_customer(self, customer_id: str) -> list[Conversation]:
        return await query(self._container, Conversation, "SELECT * FROM c WHERE c.customer_id = @customer",
                           partition=customer_id, customer=customer_id)

    async def get(self, conversation_id: str) -> Conversation | None:
        """One conversation by id alone (a query across customers: for one detail view, not for lists)."""
        found = await query(self._container, Conversation, "SELECT * FROM c WHERE c.id = @id", id=conversation_id)
        return found[0] if found else None

    async def record(self, conversation: Conversation) -> bool:
        return await self.record_many([conversation], f"conversation:{conversation.id}") == 1

    async def record_many(self, conversations: Sequence[Conversation], batch: str) -> int:
        """Writes the batch and counts it once under the key `batch`; returns how many were new.

        Written again (a retried activity), it counts what is stored: the first write's items,
        even if the batch was generated differently this time.
        """
        gate = asyncio.Semaphore(WRITE_CONCURRENCY)

        async def write(conversation: Conversation) -> tuple[bool, Conversation]:
            async with gate:
                if await create_if_absent(self._container, conversation):
                    return True, conversation
                stored = await read(self._container, Conversation, conversation.id, conversation.customer_id)
                return False, stored or conversation

        written = await asyncio.gather(*(write(c) for c in conversations))
        await self._dashboard.add(batch, [stored for _, stored in written])
        return sum(created for created, _ in written)

    async def forget_customer(self, customer_id: str) -> int:
        """Uncounts the customer's conversations, then deletes them: a retry after a crash in
        between finds the contribution applied and only deletes."""
        gone = await self.of_customer(customer_id)
        await self._dashboard.add(f"forget:{customer_id}", gone, -1)
        for conversation in gone:
            await delete_if_present(self._container, conversation.id, customer_id)
        return len(gone)

    async def scan(self) -> list[Conversation]:
        """Every conversation: for a recount, never for serving a request."""
        return await query(self._container, Conversation, "SELECT * FROM c")
