"""A voice call's transcript, as the media path hears it, kept in the conversation's state: the same place
a chat's turns go, so the post-call record reads a call's words as it reads a chat's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from azure.cosmos.exceptions import CosmosAccessConditionFailedError, CosmosResourceExistsError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.conversation.state import ConversationStore
from shared.data.cosmos import cosmos_store
from shared.sessions.model import Session
from shared.settings import Settings

ATTEMPTS = 5  # another writer of the same state (a tool's turn) wins the race: read it again and add


class TranscriptLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: Literal["caller", "agent"]
    agent: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")] | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    at: datetime


class TranscriptLines(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[TranscriptLine] = Field(max_length=50)
    handoffs: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]] = Field(default=[], max_length=10)


async def append(settings: Settings, session: Session, lines: TranscriptLines) -> int:
    """Adds the lines (masked, as every kept message) and the agent now talking; returns the state's turns."""
    store = ConversationStore(await cosmos_store(settings).container("sessions"))
    for attempt in range(ATTEMPTS):
        state, etag = await store.load(session.id, session.ttl)
        for line in lines.lines:
            role = "user" if line.speaker == "caller" else "assistant"
            state.remember(role, line.text, line.agent if role == "assistant" else None)
        if lines.handoffs:
            state.active_agent = lines.handoffs[-1]
        state.turns += sum(1 for line in lines.lines if line.speaker == "caller")
        try:
            await store.save(state, etag)
            return state.turns
        except (CosmosAccessConditionFailedError, CosmosResourceExistsError):
            if attempt == ATTEMPTS - 1:
                raise
    return 0
