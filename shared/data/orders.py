"""Placing an order in steps that survive a crash at any point, and a retry of any step.

1. The purchase is recorded as pending, keyed on the order id (a repeat finds it);
2. stock is taken under the product's etag, once per order id (the product remembers it);
3. the purchase is confirmed as ordered, or cancelled if the stock was short.
A run that died after any step and runs again continues where it stopped: one order, stock taken once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from shared.data.access import BusinessData
from shared.data.models import Product, Purchase, PurchaseStatus
from shared.data.repositories import OutOfStockError


async def place_order(data: BusinessData, order_id: str, customer_id: str, product: Product, quantity: int
                      ) -> Purchase:
    """The order, placed or found; raises OutOfStockError (and cancels it) when stock is short."""
    purchase = await data.purchases.get(customer_id, order_id)
    if purchase is None:
        purchase = Purchase(id=order_id, customer_id=customer_id, product_id=product.id, quantity=quantity,
                            unit_price=product.price, status=PurchaseStatus.PENDING, purchased_at=datetime.now(UTC))
        if not await data.purchases.create(purchase):
            purchase = await data.purchases.get(customer_id, order_id) or purchase
    if purchase.status == PurchaseStatus.CANCELLED:
        raise OutOfStockError(product.stock)
    if purchase.status != PurchaseStatus.PENDING:
        return purchase
    try:
        await data.products.reserve(purchase.product_id, purchase.quantity, order_id)
    except OutOfStockError:
        await data.purchases.set_status(customer_id, order_id, PurchaseStatus.CANCELLED)
        raise
    return await data.purchases.set_status(customer_id, order_id, PurchaseStatus.ORDERED)


async def cancel_order(data: BusinessData, customer_id: str, order_id: str) -> Purchase:
    """Cancels an ordered purchase and puts its stock back, each step once whatever crashes in between:

    1. the purchase is marked cancelled under its etag, only from `ordered` (a shipment in between wins:
       StatusChangedError), and is found cancelled by a repeat;
    2. its quantity goes back to stock once per order id (the product remembers it).
    """
    purchase = await data.purchases.change_status(customer_id, order_id, {PurchaseStatus.ORDERED},
                                                  PurchaseStatus.CANCELLED)
    await data.products.restock(purchase.product_id, purchase.quantity, order_id)
    return purchase
