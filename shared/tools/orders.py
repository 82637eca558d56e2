"""Tools over the catalog and the caller's orders."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field

from shared.agents.speech import spoken_id, spoken_money
from shared.data.models import Id, Purchase
from shared.data.order_policy import cancel_refusal, return_refusal
from shared.data.orders import cancel_order as cancel_purchase
from shared.data.orders import place_order
from shared.data.repositories import OutOfStockError, StatusChangedError
from shared.tools.context import ToolContext
from shared.tools.customers import CustomerId
from shared.tools.registry import ToolRefusedError, tool

OrderNumber = Annotated[str, Field(min_length=3, max_length=64, description="The order number, e.g. pur-1a2b3c4d")]


def _offer(product: Any) -> dict[str, Any]:
    return {"id": product.id, "name": product.name, "category": product.category, "price": product.price,
            "currency": product.currency, "in_stock": product.stock}


@tool()
async def list_products(ctx: ToolContext, category: Annotated[str | None, Field(max_length=60)] = None
                        ) -> list[dict[str, Any]]:
    """Lists the products currently available, optionally of one category, with price and stock."""
    products = await ctx.data.products.all()
    return [_offer(p) for p in products if p.stock > 0 and (category is None or p.category.lower() == category.lower())]


@tool()
async def get_product(ctx: ToolContext, product_id: Id) -> dict[str, Any]:
    """Reads one product with its description, price and stock."""
    product = await ctx.data.products.get(product_id)
    if product is None:
        raise ToolRefusedError(f"there is no product {product_id}")
    return {**_offer(product), "description": product.description}


@tool(personal=True, side_effect=True)
async def create_order(ctx: ToolContext, *, product_id: Id, quantity: Annotated[int, Field(ge=1, le=20)],
                       customer_id: CustomerId = None) -> dict[str, Any]:
    """Orders a product for the caller after checking stock. The first call reads the order back; call again
    with confirmed=true only after the caller said yes."""
    owner = ctx.own(customer_id)
    product = await ctx.data.products.get(product_id)
    if product is None:
        raise ToolRefusedError(f"there is no product {product_id}")
    if product.stock < quantity and not ctx.performing:  # when performing, taking the stock decides
        raise ToolRefusedError(f"only {product.stock} of {product.name} in stock")
    ctx.read_back(f"{quantity} x {product.name} at {product.price:.2f} {product.currency} each")
    try:
        order = await place_order(ctx.data, f"ord-{ctx.effect_key}", owner, product, quantity)
    except OutOfStockError as short:
        raise ToolRefusedError(f"{short} of {product.name}") from short
    return {"status": "ordered", "order": {**order.model_dump(mode="json"), "total": order.total}}


def order_id_of(order_number: str) -> str:
    """"PUR-9c0d 1e2f" as said or typed -> "pur-9c0d1e2f"."""
    return re.sub(r"\s+", "", order_number).lower()


def not_own_order(order_id: str) -> str:
    return f"I can only act on orders on your own account, and {spoken_id(order_id)} is not one of them"


def cancel_read_back(order_id: str, quantity: int, name: str, total: float, currency: str) -> str:
    return f"cancelling order {spoken_id(order_id)}, {quantity} x {name}, and refunding {spoken_money(total, currency)}"


async def own_order(ctx: ToolContext, order_number: str) -> Purchase:
    """One of the verified caller's own orders; any other number (another customer's, or none) is refused alike,
    so the answer tells nobody whether someone else's order exists."""
    order_id = order_id_of(order_number)
    purchase = await ctx.data.purchases.get(ctx.session.customer_id, order_id)
    if purchase is None:
        raise ToolRefusedError(not_own_order(order_id))
    return purchase


@tool(personal=True)
async def get_order_status(ctx: ToolContext, order_number: OrderNumber) -> dict[str, Any]:
    """Reads one of the caller's orders: product, quantity, total, status, and whether it can still be cancelled
    or returned (and why not)."""
    purchase = await own_order(ctx, order_number)
    product = await ctx.data.products.get(purchase.product_id)
    now, settings = datetime.now(UTC), ctx.settings
    return {**purchase.model_dump(mode="json"), "total": purchase.total, "product": product.name if product else None,
            "cancel": cancel_refusal(purchase.status, purchase.purchased_at, now, settings.cancel_window_minutes)
            or "possible",
            "return": return_refusal(purchase.status, purchase.delivered_at, purchase.purchased_at, now,
                                     settings.return_window_days) or "possible"}


@tool(personal=True, side_effect=True)
async def cancel_order(ctx: ToolContext, *, order_number: OrderNumber) -> dict[str, Any]:
    """Cancels one of the caller's orders while the policy allows it (not shipped, within the cancellation window)
    and puts its stock back. The first call reads it back; call again with confirmed=true only after the caller
    said yes."""
    purchase = await own_order(ctx, order_number)
    product = await ctx.data.products.get(purchase.product_id)
    if not ctx.performing:  # once confirmed in time, only a shipment in between stops it (below)
        refusal = cancel_refusal(purchase.status, purchase.purchased_at, datetime.now(UTC),
                                 ctx.settings.cancel_window_minutes)
        if refusal:
            raise ToolRefusedError(refusal)
    ctx.read_back(cancel_read_back(purchase.id, purchase.quantity, product.name if product else "an item",
                                   purchase.total, product.currency if product else "USD"))
    try:
        cancelled = await cancel_purchase(ctx.data, purchase.customer_id, purchase.id)
    except StatusChangedError as changed:
        raise ToolRefusedError(f"that order can no longer be cancelled: {changed}") from None
    return {"status": "cancelled", "order": {**cancelled.model_dump(mode="json"), "total": cancelled.total},
            "refund": cancelled.total, "currency": product.currency if product else "USD"}
