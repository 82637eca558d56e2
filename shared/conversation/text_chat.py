"""Text chat on the conversation runtime: one turn per request, the same logic the phone uses.

A turn holds its session, so turns of one conversation run one at a time across every instance,
and the state it continues from is whatever the last turn saved, wherever it ran.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from shared.agents.definitions import agents
from shared.conversation.events import OutEvent
from shared.conversation.in_process import InProcessTools
from shared.conversation.runtime import Brain, Conversation
from shared.conversation.state import ConversationStore, ToolCall
from shared.data.access import business_data
from shared.data.cosmos import cosmos_store
from shared.sessions.model import Session
from shared.sessions.store import sessions
from shared.settings import Settings
from shared.tools.runner import EffectRunner


class ChatReply(BaseModel):
    reply: str
    agent: str
    handoffs: list[str] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)


_brains: dict[tuple[str, str], Brain] = {}


def brain(settings: Settings) -> Brain:
    """The LLM brain when an LLM is configured, else the offline one; one per process."""
    key = (settings.llm_base_url, settings.embedding_base_url)
    if key not in _brains:
        if settings.llm_base_url:
            from shared.agents.llm_brain import LlmBrain

            _brains[key] = LlmBrain(settings)
        else:
            from shared.agents.offline_brain import IntentModel, OfflineBrain
            from shared.knowledge.embeddings import embedder

            _brains[key] = OfflineBrain(IntentModel(embedder(settings), agents()))
    return _brains[key]


async def open_conversation(settings: Settings, session: Session, effects: EffectRunner) -> Conversation:
    store = ConversationStore(await cosmos_store(settings).container("sessions"))
    state, etag = await store.load(session.id, session.ttl)
    data = await business_data(settings)
    customer = await data.customers.get(session.customer_id)
    company = await data.companies.current()
    facts: dict[str, Any] = {"company": company.name if company else "our company",
                             "customer": customer.model_dump(mode="json", exclude={"date_of_birth"}) if customer
                             else {}}
    return Conversation(agents=agents(), brain=brain(settings), port=InProcessTools(settings, session, effects),
                        store=store, state=state, etag=etag, facts=facts)


async def chat(settings: Settings, session: Session, message: str, effects: EffectRunner
               ) -> tuple[ChatReply, list[OutEvent]]:
    """One turn: the reply and every event it produced, in order; raises SessionBusyError if another turn
    of the session keeps running."""
    store = await sessions(settings)
    await store.begin_turn(session.id)
    try:
        conversation = await open_conversation(settings, session, effects)
        ended = await conversation.turn(message)
    finally:
        await store.end_turn(session.id)
    events: list[OutEvent] = []
    while not conversation.events.empty():
        events.append(conversation.events.get_nowait())
    return ChatReply(reply=ended.said, agent=ended.agent, handoffs=ended.handoffs, tool_calls=ended.tool_calls,
                     citations=ended.citations), events
