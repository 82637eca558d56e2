"""Verifying the caller: a caller ID or a web login identifies a customer, stating facts on file verifies them.

Personal tools refuse until this succeeds. Wrong answers are counted on the session and limited;
each attempt is logged without the facts themselves.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from shared.data.models import Customer
from shared.sessions.model import Session
from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

log = logging.getLogger(__name__)
FACTS_NEEDED = 2


def _postal(value: str) -> str:
    """Compared without spaces and case, a US ZIP+4 as its ZIP."""
    return re.sub(r"^(\d{5})\d{4}$", r"\1", re.sub(r"[\s-]", "", value).upper())


async def _matches(ctx: ToolContext, customer: Customer, postal_code: str | None, date_of_birth: date | None,
                   order_number: str | None) -> tuple[int, int]:
    """(facts given, facts that match the records)."""
    checks = []
    if postal_code is not None:
        checks.append(_postal(postal_code) == _postal(customer.address.postal_code))
    if date_of_birth is not None:
        checks.append(date_of_birth == customer.date_of_birth)
    if order_number is not None:
        checks.append(await ctx.data.purchases.get(customer.id, order_number.strip().lower()) is not None)
    return len(checks), sum(checks)


@tool(acts_at_once=True)  # a failed attempt counts towards the lockout
async def verify_caller(ctx: ToolContext, *,
                        postal_code: Annotated[str | None, Field(max_length=12)] = None,
                        date_of_birth: Annotated[date | None, Field(description="YYYY-MM-DD")] = None,
                        order_number: Annotated[str | None, Field(max_length=64)] = None) -> dict[str, Any]:
    """Verifies the caller with two facts on file: postal code, date of birth, or the number of a past order.
    Needed before anything personal is read out or changed."""
    if ctx.session.verified:
        return {"verified": True}
    attempts = ctx.settings.verification_attempts
    if ctx.session.verification_failures >= attempts:
        raise ToolRefusedError("I cannot verify you after too many wrong answers; I can transfer you to a colleague")
    customer = await ctx.data.customers.get(ctx.session.customer_id)
    if customer is None:
        raise ToolRefusedError("I could not find your profile")
    given, matched = await _matches(ctx, customer, postal_code, date_of_birth, order_number)
    if given < FACTS_NEEDED:
        raise ToolRefusedError("I need two of these: your postal code, your date of birth, or the number of one of "
                               "your orders")
    passed = matched == given

    def record(session: Session) -> Session:
        if passed:
            return session.model_copy(update={"verified": True})
        return session.model_copy(update={"verification_failures": session.verification_failures + 1})

    session = await ctx.sessions.change(ctx.session.id, record)
    if not passed:
        left = max(attempts - session.verification_failures, 0)
        log.warning("caller verification failed for session %s (%d of %d attempts used)", session.id,
                    session.verification_failures, attempts)
        raise ToolRefusedError(f"those details do not match our records; {left} attempt(s) left")
    log.info("caller verified for session %s", session.id)
    return {"verified": True, "first_name": customer.first_name}
