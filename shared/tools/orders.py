"""Tools over the catalog and the caller's orders."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.data.models import Id
from shared.data.orders import place_order
from shared.data.repositories import OutOfStockError
from shared.tools.context import ToolContext
from shared.tools.customers import CustomerId
from shared.tools.registry import ToolRefusedError, tool


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
