"""A text conversation's state and what one turn returns, shared by every brain."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, Field

from shared.agents.definitions import ENTRY_AGENT

MAX_HISTORY = 40


class ToolCall(BaseModel):
    name: str
    arguments: dict[str, Any]
    ok: bool
    result: Any = None
    error: str | None = None
    needs_verification: bool = False


class ToolCaller(Protocol):
    """How a brain runs a tool: through the tool runner, with its checks; `call_id` is the model's own id."""

    async def __call__(self, name: str, arguments: dict[str, Any], call_id: str | None = None) -> ToolCall: ...


class Message(BaseModel):
    role: str  # "user", "assistant" or "tool"
    text: str
    agent: str | None = None


class ChatState(BaseModel):
    id: str  # "chat-" + the session id
    session_id: str
    active_agent: str = ENTRY_AGENT
    history: list[Message] = []
    # A side effect read back to the caller and waiting for their yes: (tool, arguments).
    pending: dict[str, Any] | None = None
    # The latest successful tool calls, for what a later turn refers to ("confirm my order").
    results: list[ToolCall] = []
    turns: int = 0
    # Set while the caller is asked to verify: the request that needed it, to resume once verified.
    awaiting_verification: str | None = None
    ttl: int = -1  # Cosmos TTL: the session's, so a conversation's state expires with it

    def remember(self, role: str, text: str, agent: str | None = None) -> None:
        self.history = [*self.history, Message(role=role, text=text, agent=agent)][-MAX_HISTORY:]


class ChatReply(BaseModel):
    reply: str
    agent: str
    handoffs: list[str] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
