"""A conversation's summary from its stored state (the masked history and the tools that ran), never from
text the model passes in: what the caller asked for, what was done, what is still open.

Offline it is extractive: the caller's first request, one line per successful tool call, the
read-back or verification still waiting. With an LLM the model writes the same three parts as
structured output, validated with pydantic; an answer that fails validation twice falls back to
the extractive summary.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, ValidationError

from shared.conversation.state import ConversationState, ToolCall
from shared.credentials import openai_client
from shared.settings import Settings

ATTEMPTS = 2
Line = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
# Caller lines that answer the agent rather than ask for something: facts for verification, yes/no.
NOT_A_REQUEST = re.compile(r"postal code|zip code|date of birth|\bborn\b|^\W*(yes|no|yeah|ok|okay|sure|please|"
                           r"thanks|thank you|hello|hi)\b[\w\s,]{0,12}\W*$", re.IGNORECASE)
WHAT_IT_DID = {
    "verify_caller": "verified the caller",
    "get_customer_profile": "read the profile on file back to the caller",
    "update_customer_address": "changed the address on file",
    "get_purchase_history": "went through the purchase history",
    "list_products": "listed the products in stock",
    "get_product": "looked up a product",
}


class ConversationSummary(BaseModel):
    request: Line
    done: list[Line] = Field(default_factory=list, max_length=10)
    pending: list[Line] = Field(default_factory=list, max_length=5)

    @property
    def text(self) -> str:
        return (f"The caller asked: {self.request.rstrip('.')}. Done: {'; '.join(self.done) or 'nothing yet'}. "
                f"Still open: {'; '.join(self.pending) or 'nothing'}.")


def _did(call: ToolCall) -> str | None:
    result = call.result if isinstance(call.result, dict) else {}
    if call.name == "create_order" and isinstance(result.get("order"), dict):
        order = result["order"]
        return f"placed order {order.get('id')} ({order.get('quantity')} x {order.get('product_id')})"
    if call.name == "send_email":
        return f"sent an email: \"{result.get('subject', '')}\""
    if call.name == "search_knowledge_base":
        cited = [p.get("citation") for p in result.get("passages", [])[:1]]
        return f"answered from the knowledge base ({cited[0]})" if cited else "searched the knowledge base"
    if call.name == "web_search":
        found = [r.get("citation") for r in result.get("results", [])[:1]]
        return f"looked it up on the web ({found[0]})" if found else "searched the web"
    return WHAT_IT_DID.get(call.name)


def extractive(state: ConversationState) -> ConversationSummary:
    asked = [m.text for m in state.history if m.role == "user" and not NOT_A_REQUEST.search(m.text)]
    done = list(dict.fromkeys(line for call in state.results if call.ok and (line := _did(call))))
    pending = []
    if state.pending:
        pending.append(f"{state.pending.get('tool', 'an action').replace('_', ' ')}, read back and waiting "
                       "for the caller's yes")
    if state.awaiting_verification:
        pending.append("the caller still has to verify their identity")
    request = asked[0] if asked else "nothing yet"
    return ConversationSummary(request=request[:300], done=done[-10:], pending=pending)


async def with_llm(settings: Settings, state: ConversationState) -> ConversationSummary:
    """The model's structured summary of the stored (masked) history; the extractive one if it fails."""
    transcript = [{"speaker": "caller" if m.role == "user" else "agent", "text": m.text} for m in state.history]
    tools = [{"tool": c.name, "result": c.result} for c in state.results if c.ok]
    prompt = ("Summarise this call-center conversation as JSON: `request` (what the caller wanted, one sentence), "
              "`done` (what the agents did, one short line each), `pending` (what is still open). Use only what "
              "the transcript and tool results say.\n" + json.dumps({"transcript": transcript, "tools": tools},
                                                                    default=str))
    schema = {"name": "ConversationSummary", "schema": ConversationSummary.model_json_schema()}
    async with openai_client(settings, settings.llm_base_url, settings.llm_api_key, timeout=15,
                             max_retries=0) as client:
        for _ in range(ATTEMPTS):
            response = await client.chat.completions.create(
                model=settings.llm_model, temperature=0, messages=[{"role": "user", "content": prompt}],
                response_format={"type": "json_schema", "json_schema": schema})
            try:
                return ConversationSummary.model_validate_json(response.choices[0].message.content or "")
            except ValidationError:
                continue
    return extractive(state)


async def summarize(settings: Settings, state: ConversationState) -> dict[str, Any]:
    summary = await with_llm(settings, state) if settings.llm_base_url else extractive(state)
    return {**summary.model_dump(), "summary": summary.text}
