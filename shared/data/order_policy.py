"""When an order may be cancelled or returned: the rules the tools enforce, said as the reason when they do not hold.

Pure functions of an order's status and dates, so that the tools and the eval's in-memory company apply the same
rules; the windows are settings (CANCEL_WINDOW_MINUTES, RETURN_WINDOW_DAYS).
"""

from __future__ import annotations

from datetime import datetime, timedelta

CANCELLABLE = {"ordered"}
RETURNABLE = {"delivered"}


def _window(minutes: float) -> str:
    if minutes % (24 * 60) == 0:
        days = int(minutes // (24 * 60))
        return f"{days} day{'s' * (days != 1)}"
    if minutes % 60 == 0:
        hours = int(minutes // 60)
        return "one hour" if hours == 1 else f"{hours} hours"
    return f"{minutes:g} minutes"


def cancel_refusal(status: str, purchased_at: datetime, now: datetime, window_minutes: int) -> str | None:
    """Why the order cannot be cancelled now, or None when it can."""
    if status == "cancelled":
        return "that order is already cancelled"
    if status in ("shipped", "delivered", "returned"):
        return (f"that order has already {'shipped' if status == 'shipped' else 'been ' + status}, so it can no "
                "longer be cancelled; once it is delivered you can return it instead")
    if status not in CANCELLABLE:
        return "that order is still being placed; please ask again in a minute"
    if now - purchased_at > timedelta(minutes=window_minutes):
        return (f"orders can only be cancelled within {_window(window_minutes)} of purchase, and that one was "
                "placed earlier; once it is delivered you can return it instead")
    return None


def return_refusal(status: str, delivered_at: datetime | None, purchased_at: datetime, now: datetime,
                   window_days: int) -> str | None:
    """Why the order cannot be returned now, or None when it can."""
    if status == "returned":
        return "that order has already been returned"
    if status == "cancelled":
        return "that order was cancelled, so there is nothing to return"
    if status not in RETURNABLE:
        return ("that order has not been delivered yet, so it cannot be returned"
                + ("; it can still be cancelled" if status in CANCELLABLE else ""))
    if now - (delivered_at or purchased_at) > timedelta(days=window_days):
        return f"items can only be returned within {_window(window_days * 24 * 60)} of delivery, and that one is older"
    return None
