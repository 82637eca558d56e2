"""One turn of a text conversation: the state, the brain, the tools of the active agent."""

from __future__ import annotations

from typing import Any, Protocol

from shared.agents.conversation import ChatReply, ChatState, ToolCall
from shared.agents.definitions import agents
from shared.agents.offline_brain import IntentModel, OfflineBrain, ToolCaller
from shared.data.access import business_data
from shared.data.cosmos import cosmos_store
from shared.data.repositories import read
from shared.knowledge.embeddings import embedder
from shared.settings import Settings
from shared.tools.runner import run_tool
from shared.tools.session import Session

KEPT_RESULTS = 10


class Brain(Protocol):
    async def respond(self, state: ChatState, message: str, facts: dict[str, Any], tools: ToolCaller
                      ) -> ChatReply: ...


_brains: dict[tuple[str, str], Brain] = {}


def brain(settings: Settings) -> Brain:
    """The LLM brain when an LLM is configured, else the offline one; one per process."""
    key = (settings.llm_base_url, settings.embedding_base_url)
    if key not in _brains:
        if settings.llm_base_url:
            from shared.agents.llm_brain import LlmBrain

            _brains[key] = LlmBrain(settings, agents())
        else:
            _brains[key] = OfflineBrain(agents(), IntentModel(embedder(settings), agents()))
    return _brains[key]


async def chat(settings: Settings, session: Session, message: str) -> ChatReply:
    container = await cosmos_store(settings).container("sessions")
    state_id = f"chat-{session.id}"
    state = await read(container, ChatState, state_id, state_id) or ChatState(id=state_id, session_id=session.id)
    data = await business_data(settings)
    customer = await data.customers.get(session.customer_id)
    company = await data.companies.current()
    facts = {"company": company.name if company else "our company",
             "customer": customer.model_dump(mode="json") if customer else {}}
    calls = 0

    async def call_tool(name: str, arguments: dict[str, Any]) -> ToolCall:
        nonlocal calls
        calls += 1
        allowed = {*agents()[state.active_agent].tools, "handoff"}
        if name not in allowed:
            return ToolCall(name=name, arguments=arguments, ok=False, error=f"{state.active_agent} has no {name}")
        result = await run_tool(settings, name, session, arguments, call_id=f"{state.turns}-{calls}")
        return ToolCall(name=name, arguments=arguments, ok=result.ok, result=result.result, error=result.error)

    reply = await brain(settings).respond(state, message, facts, call_tool)
    state.remember("user", message)
    state.remember("assistant", reply.reply, reply.agent)
    state.results = [*state.results, *(c for c in reply.tool_calls if c.ok)][-KEPT_RESULTS:]
    state.turns += 1
    await container.upsert_item(state.model_dump(mode="json"))
    return reply
