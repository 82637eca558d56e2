"""The knowledge-base tool: hybrid search over the company's documents, with citations."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.knowledge.base import knowledge_base
from shared.knowledge.index import Hit
from shared.tools.context import ToolContext
from shared.tools.registry import tool


@tool(timeout_seconds=10.0)
async def search_knowledge_base(ctx: ToolContext, query: Annotated[str, Field(min_length=2, max_length=500)],
                                top: Annotated[int, Field(ge=1, le=10)] = 3) -> dict[str, Any]:
    """Searches the company's policies, manuals and FAQs. Answer only from the passages returned and cite
    document and page; when none is returned, say you do not know."""
    # One passage a page, reranked, none below the floor calibrated for the backend (settings).
    return grounding(await knowledge_base(ctx.settings).search(query, top))


def grounding(hits: list[Hit]) -> dict[str, Any]:
    """What the agent reads: the passages to answer from, each with its citation; grounded only if any."""
    return {"passages": [{"text": h.text, "citation": f"{h.document}, page {h.page}"} for h in hits],
            "grounded": bool(hits)}
