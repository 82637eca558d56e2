"""The knowledge-base tool: hybrid search over the company's documents, with citations."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.knowledge.base import knowledge_base
from shared.tools.context import ToolContext
from shared.tools.registry import tool

# Below this relevance a passage does not ground an answer. Measured with the local MiniLM embeddings
# on the sample corpus: its questions score 0.40 at the least, unrelated ones 0.25 at the most.
MIN_RELEVANCE = 0.33


@tool(timeout_seconds=10.0)
async def search_knowledge_base(ctx: ToolContext, query: Annotated[str, Field(min_length=2, max_length=500)],
                                top: Annotated[int, Field(ge=1, le=10)] = 3) -> dict[str, Any]:
    """Searches the company's policies, manuals and FAQs. Answer only from the passages returned and cite
    document and page; when none is returned, say you do not know."""
    hits = [h for h in await knowledge_base(ctx.settings).search(query, top) if h.relevance >= MIN_RELEVANCE]
    return {"passages": [{"text": h.text, "citation": f"{h.document}, page {h.page}"} for h in hits],
            "grounded": bool(hits)}
