"""Tools over the caller's own profile and purchase history."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.data.models import Address, Text
from shared.tools.registry import ToolRefusedError, tool
from shared.tools.session import ToolContext

CustomerId = Annotated[str | None, Field(description="Leave empty: tools act for the verified caller only")]
Confirmed = Annotated[bool, Field(description="True only after the caller explicitly confirmed the change")]


@tool()
async def get_customer_profile(ctx: ToolContext, customer_id: CustomerId = None) -> dict[str, Any]:
    """Reads the verified caller's profile: name, email, phone, address, loyalty tier."""
    customer = await ctx.data.customers.get(ctx.own(customer_id))
    if customer is None:
        raise ToolRefusedError("I could not find your profile")
    return customer.model_dump(mode="json", exclude={"previous_addresses"})


@tool()
async def update_customer_address(ctx: ToolContext, *, street: Text, postal_code: Annotated[str, Field(max_length=12)],
                                  city: Text, country: Text, confirmed: Confirmed = False,
                                  customer_id: CustomerId = None) -> dict[str, Any]:
    """Changes the caller's address. First call without confirmation, read the address back, and call again
    with confirmed=true only after the caller said yes."""
    owner = ctx.own(customer_id)
    address = Address(street=street, postal_code=postal_code, city=city, country=country)
    if not confirmed:
        return {"status": "confirmation_required",
                "read_back": f"{address.street}, {address.postal_code} {address.city}, {address.country}"}
    updated = await ctx.data.customers.update_address(owner, address)
    return {"status": "updated", "address": updated.address.model_dump()}


@tool()
async def get_purchase_history(ctx: ToolContext, customer_id: CustomerId = None) -> list[dict[str, Any]]:
    """Lists the caller's purchases, newest first, with product, quantity, price and status."""
    purchases = await ctx.data.purchases.of_customer(ctx.own(customer_id))
    return [{**p.model_dump(mode="json"), "total": p.total} for p in purchases]
