"""The web-search tool: whichever adapter the settings choose, with its sources short enough to say."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.adapters import web_search as web_search_adapter
from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool
from shared.websearch.port import WebSearchUnavailableError


@tool(timeout_seconds=20.0)
async def web_search(ctx: ToolContext, query: Annotated[str, Field(min_length=2, max_length=300)],
                     top: Annotated[int, Field(ge=1, le=5)] = 3) -> dict[str, Any]:
    """Searches the web for current information, such as news about the company. Name the source you use:
    its title and site."""
    adapter = web_search_adapter(ctx.settings, ctx.data)
    try:
        found = await adapter.search(query, top)
    except WebSearchUnavailableError as error:
        raise ToolRefusedError(str(error)) from None
    return {"provider": adapter.name, "summary": found.summary,
            "results": [{**page.model_dump(), "citation": page.citation} for page in found.pages]}
