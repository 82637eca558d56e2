"""Placing and cancelling an order survive a crash after any of their steps: one order, stock taken once and
put back once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from local.stack import Endpoints
from shared.data.access import BusinessData, business_data
from shared.data.cosmos import cosmos_store
from shared.data.models import Product, Purchase, PurchaseStatus
from shared.data.orders import cancel_order, place_order
from shared.data.repositories import OutOfStockError, StatusChangedError
from shared.settings import Settings

TENT = Product(id="prod-tent", name="Trail Tent", category="tents", description="A tent.", price=120.0, stock=5)


@pytest.fixture
async def data(stack: Endpoints) -> AsyncIterator[BusinessData]:
    settings = Settings(**stack.as_settings(), COSMOS_DATABASE=f"orders-{uuid.uuid4().hex[:8]}")
    found = await business_data(settings)
    await found.products.create_many([TENT])
    yield found
    await cosmos_store(settings).drop_all()


async def stock(data: BusinessData) -> int:
    return (await data.products.get(TENT.id)).stock


async def test_a_run_after_a_crash_once_the_purchase_was_recorded(data: BusinessData) -> None:
    pending = Purchase(id="ord-1", customer_id="cust-1", product_id=TENT.id, quantity=2, unit_price=120.0,
                       status=PurchaseStatus.PENDING, purchased_at=datetime.now(UTC))
    await data.purchases.create(pending)  # the first run died here
    placed = await place_order(data, "ord-1", "cust-1", TENT, 2)
    assert placed.status == PurchaseStatus.ORDERED and await stock(data) == 3


async def test_a_run_after_a_crash_once_the_stock_was_taken(data: BusinessData) -> None:
    pending = Purchase(id="ord-2", customer_id="cust-1", product_id=TENT.id, quantity=2, unit_price=120.0,
                       status=PurchaseStatus.PENDING, purchased_at=datetime.now(UTC))
    await data.purchases.create(pending)
    await data.products.reserve(TENT.id, 2, "ord-2")  # the first run died here, before confirming
    placed = await place_order(data, "ord-2", "cust-1", TENT, 2)
    assert placed.status == PurchaseStatus.ORDERED and await stock(data) == 3  # not 1


async def test_concurrent_runs_of_one_order_take_stock_once(data: BusinessData) -> None:
    runs = await asyncio.gather(*(place_order(data, "ord-3", "cust-1", TENT, 1) for _ in range(20)))
    assert {r.id for r in runs} == {"ord-3"} and await stock(data) == 4
    assert [p.id for p in await data.purchases.of_customer("cust-1")] == ["ord-3"]


async def test_short_stock_cancels_the_order_and_takes_nothing(data: BusinessData) -> None:
    with pytest.raises(OutOfStockError):
        await place_order(data, "ord-4", "cust-1", TENT, 6)
    with pytest.raises(OutOfStockError):  # a retry says the same, and still takes nothing
        await place_order(data, "ord-4", "cust-1", TENT, 6)
    assert (await data.purchases.get("cust-1", "ord-4")).status == PurchaseStatus.CANCELLED
    assert await stock(data) == 5


async def test_a_cancel_run_again_after_a_crash_puts_the_stock_back_once(data: BusinessData) -> None:
    await place_order(data, "ord-5", "cust-1", TENT, 2)
    await data.purchases.change_status("cust-1", "ord-5", {PurchaseStatus.ORDERED}, PurchaseStatus.CANCELLED)
    assert await stock(data) == 3  # the first run died here, before putting the stock back
    await cancel_order(data, "cust-1", "ord-5")
    await cancel_order(data, "cust-1", "ord-5")  # and a retry after that changes nothing
    assert await stock(data) == 5
    assert (await data.purchases.get("cust-1", "ord-5")).status == PurchaseStatus.CANCELLED


async def test_concurrent_cancels_of_one_order_put_the_stock_back_once(data: BusinessData) -> None:
    await place_order(data, "ord-6", "cust-1", TENT, 3)
    await asyncio.gather(*(cancel_order(data, "cust-1", "ord-6") for _ in range(20)))
    assert await stock(data) == 5


async def test_an_order_that_shipped_meanwhile_is_not_cancelled(data: BusinessData) -> None:
    await place_order(data, "ord-7", "cust-1", TENT, 1)
    await data.purchases.set_status("cust-1", "ord-7", PurchaseStatus.SHIPPED)
    with pytest.raises(StatusChangedError):
        await cancel_order(data, "cust-1", "ord-7")
    assert await stock(data) == 4 and (await data.purchases.get("cust-1", "ord-7")).status == PurchaseStatus.SHIPPED
