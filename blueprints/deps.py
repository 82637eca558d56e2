"""What blueprint functions use, imported on first call so that importing the app stays light."""

from __future__ import annotations

from typing import Any


async def app_data() -> Any:
    """The process's business data (`shared.data.access.BusinessData`)."""
    from shared.data.access import app_data as load

    return await load()
