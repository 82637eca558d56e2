"""A conversation's state, persisted per session under an etag after every turn, so that any instance
(of the function app or the media container) can continue the conversation after a restart."""

from __future__ import annotations

from typing import Any

from azure.core import MatchConditions
from azure.cosmos.aio import ContainerProxy
from azure.cosmos.exceptions import CosmosResourceNotFoundError
from pydantic import BaseModel

from shared.agents.definitions import ENTRY_AGENT
from shared.data.cosmos import document
from shared.privacy.mask import mask, mask_values

HISTORY_CHARACTERS = 8000  # what a brain sees of the past: the newest messages within this budget
KEPT_RESULTS = 10


class ToolCall(BaseModel):
    name: str
    arguments: dict[str, Any]
    ok: bool
    result: Any = None
    error: str | None = None
    needs_verification: bool = False


class Message(BaseModel):
    role: str  # "user" or "assistant"
    text: str
    agent: str | None = None


class ConversationState(BaseModel):
    id: str  # "chat-" + the session id
    session_id: str
    active_agent: str = ENTRY_AGENT
    history: list[Message] = []
    # A side effect read back to the caller and waiting for their yes: (tool, arguments).
    pending: dict[str, Any] | None = None
    # The latest successful tool calls, for what a later turn refers to ("confirm my order").
    results: list[ToolCall] = []
    # Set while the caller is asked to verify: the request that needed it, to resume once verified.
    awaiting_verification: str | None = None
    turns: int = 0
    ttl: int = -1  # Cosmos TTL: the session's, so a conversation's state expires with it

    def remember(self, role: str, text: str, agent: str | None = None) -> None:
        """Keeps a message, with emails, phone numbers, cards and addresses masked."""
        history = [*self.history, Message(role=role, text=mask(text), agent=agent)]
        while len(history) > 1 and sum(len(m.text) for m in history) > HISTORY_CHARACTERS:
            history = history[1:]
        self.history = history

    def keep(self, calls: list[ToolCall]) -> None:
        kept = [c.model_copy(update={"arguments": mask_values(c.arguments), "result": mask_values(c.result)})
                for c in calls if c.ok]
        self.results = [*self.results, *kept][-KEPT_RESULTS:]


class ConversationStore:
    """States in the sessions container, beside their session; written only under the etag they were read with."""

    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def load(self, session_id: str, ttl: int) -> tuple[ConversationState, str | None]:
        state_id = f"chat-{session_id}"
        try:
            stored = await self._container.read_item(state_id, partition_key=state_id)
        except CosmosResourceNotFoundError:
            return ConversationState(id=state_id, session_id=session_id, ttl=ttl), None
        return ConversationState.model_validate(document(stored)), stored["_etag"]

    async def save(self, state: ConversationState, etag: str | None) -> str:
        """Writes the state; raises if someone else wrote it since it was read (a lost turn, never silently)."""
        body = state.model_dump(mode="json")
        if etag is None:
            saved = await self._container.create_item(body)
        else:
            saved = await self._container.replace_item(state.id, body, etag=etag,
                                                       match_condition=MatchConditions.IfNotModified)
        return saved["_etag"]
