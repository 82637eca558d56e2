"""Tools that open a case a person follows up: a return (for a refund or an exchange) and a complaint.

A case is written once: a return's id comes from its order (one return per order, whoever asks again), a
complaint's from the session and the tool call (the confirmed call's durable activity may run twice).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from shared.agents.speech import spoken_id, spoken_money
from shared.data.models import Case, CaseKind
from shared.data.order_policy import return_refusal
from shared.tools.context import ToolContext
from shared.tools.orders import OrderNumber, own_order
from shared.tools.registry import ToolRefusedError, tool

Reason = Annotated[str, Field(min_length=1, max_length=300, description="In the caller's words")]
RETURN_NEXT = ("we email you a prepaid return label; the refund reaches your original payment method within 5 "
               "business days after the item arrives at our warehouse")
EXCHANGE_NEXT = "we email you a prepaid return label and send the replacement once the item arrives"
COMPLAINT_NEXT = "a supervisor reviews it and contacts you within one business day"


def return_case_id(customer_id: str, order_id: str) -> str:
    return "case-" + hashlib.sha256(f"return:{customer_id}:{order_id}".encode()).hexdigest()[:8]


def already_open(case_id: str) -> str:
    return f"a return for that order is already open as case {spoken_id(case_id)}"


def return_read_back(order_id: str, quantity: int, name: str, *, total: float, currency: str, resolution: str
                     ) -> str:
    wanted = f"a refund of {spoken_money(total, currency)}" if resolution == "refund" else "an exchange"
    return f"a return of order {spoken_id(order_id)}, {quantity} x {name}, for {wanted}"


def complaint_read_back(reason: str) -> str:
    return f"a complaint for a supervisor: {reason}"


def next_step(resolution: str) -> str:
    return RETURN_NEXT if resolution == "refund" else EXCHANGE_NEXT


@tool(personal=True, side_effect=True)
async def request_return(ctx: ToolContext, *, order_number: OrderNumber, reason: Reason,
                         resolution: Literal["refund", "exchange"] = "refund") -> dict[str, Any]:
    """Starts a return of a delivered order within the return window, for a refund or an exchange. The first call
    reads it back; call again with confirmed=true only after the caller said yes."""
    purchase = await own_order(ctx, order_number)
    case_id = return_case_id(purchase.customer_id, purchase.id)
    if not ctx.performing:
        if (opened := await ctx.data.cases.get(purchase.customer_id, case_id)) is not None:
            raise ToolRefusedError(already_open(opened.id))
        refusal = return_refusal(purchase.status, purchase.delivered_at, purchase.purchased_at, datetime.now(UTC),
                                 ctx.settings.return_window_days)
        if refusal:
            raise ToolRefusedError(refusal)
    product = await ctx.data.products.get(purchase.product_id)
    ctx.read_back(return_read_back(purchase.id, purchase.quantity, product.name if product else "an item",
                                   total=purchase.total, currency=product.currency if product else "USD",
                                   resolution=resolution))
    case = await ctx.data.cases.open(Case(id=case_id, customer_id=purchase.customer_id, kind=CaseKind.RETURN,
                                          reason=reason, order_id=purchase.id, resolution=resolution,
                                          opened_at=datetime.now(UTC), session_id=ctx.session.id))
    return {"status": "opened", "case": case.model_dump(mode="json", exclude={"session_id"}),
            "next_step": next_step(resolution)}


@tool(side_effect=True)
async def escalate_complaint(ctx: ToolContext, *, reason: Reason) -> dict[str, Any]:
    """Records the caller's complaint with its reason for a supervisor, who follows it up; on a phone call the
    caller can then be transferred. The first call reads it back; call again with confirmed=true only after the
    caller said yes."""
    ctx.read_back(complaint_read_back(reason))
    case = await ctx.data.cases.open(Case(id=f"case-{ctx.effect_key[:8]}", customer_id=ctx.session.customer_id,
                                          kind=CaseKind.COMPLAINT, reason=reason, opened_at=datetime.now(UTC),
                                          session_id=ctx.session.id))
    return {"status": "opened", "case": case.model_dump(mode="json", exclude={"session_id"}),
            "next_step": COMPLAINT_NEXT, "transfer_possible": ctx.session.channel == "phone"}
