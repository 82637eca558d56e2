"""Tools over the catalog and the caller's orders."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field

from shared.data.models import Id, Purchase
from shared.data.repositories import OutOfStockError
from shared.tools.customers import Confirmed, CustomerId
from shared.tools.registry import ToolRefusedError, tool
from shared.tools.session import ToolContext


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


@tool()
async def create_order(ctx: ToolContext, *, product_id: Id, quantity: Annotated[int, Field(ge=1, le=20)],
                       confirmed: Confirmed = False, customer_id: CustomerId = None) -> dict[str, Any]:
    """Orders a product for the caller after checking stock. First call without confirmation, read the order
    back, and call again with confirmed=true only after the caller said yes."""
    owner = ctx.own(customer_id)
    product = await ctx.data.products.get(product_id)
    if product is None:
        raise ToolRefusedError(f"there is no product {product_id}")
    if product.stock < quantity:
        raise ToolRefusedError(f"only {product.stock} of {product.name} in stock")
    if not confirmed:
        return {"status": "confirmation_required",
                "read_back": f"{quantity} x {product.name} at {product.price:.2f} {product.currency} each"}
    # Keyed on this tool call: a retried or repeated call finds its order instead of ordering twice.
    order_id = "ord-" + hashlib.sha256(f"{ctx.session.id}:{ctx.call_id}".encode()).hexdigest()[:16]
    existing = await ctx.data.purchases.get(owner, order_id)
    if existing is None:
        try:
            await ctx.data.products.reserve(product_id, quantity)
        except OutOfStockError as short:
            raise ToolRefusedError(f"{short} of {product.name}") from short
        existing = Purchase(id=order_id, customer_id=owner, product_id=product_id, quantity=quantity,
                            unit_price=product.price, purchased_at=datetime.now(UTC))
        await ctx.data.purchases.create(existing)
    return {"status": "ordered", "order": {**existing.model_dump(mode="json"), "total": existing.total}}
