"""One turn of a text conversation: the state, the brain, the tools of the active agent.

A turn holds its session (turns of one conversation run one at a time) and counts as a caller
turn, so a read-back from an earlier turn may be confirmed in this one and never in its own.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from azure.core import MatchConditions
from azure.cosmos.exceptions import CosmosResourceNotFoundError

from shared.agents.conversation import ChatReply, ChatState, ToolCall, ToolCaller
from shared.agents.definitions import agents
from shared.agents.offline_brain import IntentModel, OfflineBrain
from shared.data.access import business_data
from shared.data.cosmos import cosmos_store, document
from shared.knowledge.embeddings import embedder
from shared.sessions.model import Session
from shared.sessions.store import sessions
from shared.settings import Settings
from shared.tools.runner import EffectRunner, run_tool

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


async def chat(settings: Settings, session: Session, message: str, effects: EffectRunner) -> ChatReply:
    """Runs one turn; raises SessionBusyError if another turn of the session keeps running."""
    store = await sessions(settings)
    await store.begin_turn(session.id)
    try:
        return await _turn(settings, session, message, effects)
    finally:
        await store.end_turn(session.id)


async def _turn(settings: Settings, session: Session, message: str, effects: EffectRunner) -> ChatReply:
    container = await cosmos_store(settings).container("sessions")
    state_id = f"chat-{session.id}"
    try:
        stored = await container.read_item(state_id, partition_key=state_id)
        state, etag = ChatState.model_validate(document(stored)), stored["_etag"]
    except CosmosResourceNotFoundError:
        state, etag = ChatState(id=state_id, session_id=session.id, ttl=session.ttl), None
    data = await business_data(settings)
    customer = await data.customers.get(session.customer_id)
    company = await data.companies.current()
    facts = {"company": company.name if company else "our company",
             "customer": customer.model_dump(mode="json", exclude={"date_of_birth"}) if customer else {}}
    store = await sessions(settings)
    turn_id, calls = uuid.uuid4().hex[:12], 0

    async def call_tool(name: str, arguments: dict[str, Any], call_id: str | None = None) -> ToolCall:
        nonlocal calls
        calls += 1
        allowed = {*agents()[state.active_agent].tools, "handoff", "verify_caller"}
        if name not in allowed:
            return ToolCall(name=name, arguments=arguments, ok=False, error=f"{state.active_agent} has no {name}")
        current = await store.get(session.id) or session  # verification may have changed within this turn
        result = await run_tool(settings, name, current, arguments, f"{turn_id}-{call_id or calls}",
                                effects=effects)
        return ToolCall(name=name, arguments=arguments, ok=result.ok, result=result.result, error=result.error,
                        needs_verification=result.needs_verification)

    reply = await brain(settings).respond(state, message, facts, call_tool)
    state.remember("user", message)
    state.remember("assistant", reply.reply, reply.agent)
    state.results = [*state.results, *(c for c in reply.tool_calls if c.ok)][-KEPT_RESULTS:]
    state.turns += 1
    body = state.model_dump(mode="json")
    if etag is None:
        await container.create_item(body)
    else:  # the turn holds the session, so nobody else wrote this meanwhile: a conflict is a bug, not a retry
        await container.replace_item(state_id, body, etag=etag, match_condition=MatchConditions.IfNotModified)
    return reply
