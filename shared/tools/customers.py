"""Tools over the caller's own profile and purchase history."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.data.models import Address, Text
from shared.tools.contact import ContactError, contact_read_back, e164, valid_email
from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

CustomerId = Annotated[str | None, Field(description="Leave empty: tools act for the verified caller only")]
NewEmail = Annotated[str | None, Field(max_length=254, description="The new email address")]
NewPhone = Annotated[str | None, Field(max_length=32, description="The new phone number as said; without a country "
                                                                  "code it is in the caller's country")]


@tool(personal=True)
async def get_customer_profile(ctx: ToolContext, customer_id: CustomerId = None) -> dict[str, Any]:
    """Reads the verified caller's profile: name, email, phone, address, loyalty tier."""
    customer = await ctx.data.customers.get(ctx.own(customer_id))
    if customer is None:
        raise ToolRefusedError("I could not find your profile")
    return customer.model_dump(mode="json", exclude={"previous_addresses", "date_of_birth"})


@tool(personal=True, side_effect=True)
async def update_customer_address(ctx: ToolContext, *, street: Text, postal_code: Annotated[str, Field(max_length=12)],
                                  city: Text, country: Text, customer_id: CustomerId = None) -> dict[str, Any]:
    """Changes the caller's address. The first call reads the address back; call again with confirmed=true
    only after the caller said yes."""
    owner = ctx.own(customer_id)
    address = Address(street=street, postal_code=postal_code, city=city, country=country)
    ctx.read_back(f"{address.street}, {address.postal_code} {address.city}, {address.country}")
    updated = await ctx.data.customers.update_address(owner, address)
    return {"status": "updated", "address": updated.address.model_dump()}


@tool(personal=True, side_effect=True)
async def update_contact(ctx: ToolContext, *, email: NewEmail = None, phone: NewPhone = None,
                         customer_id: CustomerId = None) -> dict[str, Any]:
    """Changes the caller's email address and/or phone number after checking them. The first call reads them back;
    call again with confirmed=true only after the caller said yes."""
    owner = ctx.own(customer_id)
    customer = await ctx.data.customers.get(owner)
    if customer is None:
        raise ToolRefusedError("I could not find your profile")
    if email is None and phone is None:
        raise ToolRefusedError("I need the new email address or phone number")
    try:
        new_email = valid_email(email) if email is not None else None
        new_phone = e164(phone, customer.phone) if phone is not None else None
    except ContactError as wrong:
        raise ToolRefusedError(str(wrong)) from None
    ctx.read_back(contact_read_back(new_email, new_phone))
    updated = await ctx.data.customers.update_contact(owner, new_email, new_phone)
    return {"status": "updated", "email": updated.email, "phone": updated.phone}


@tool(personal=True)
async def get_purchase_history(ctx: ToolContext, customer_id: CustomerId = None) -> list[dict[str, Any]]:
    """Lists the caller's purchases, newest first, with product, quantity, price and status."""
    purchases = await ctx.data.purchases.of_customer(ctx.own(customer_id))
    return [{**p.model_dump(mode="json"), "total": p.total} for p in purchases]
