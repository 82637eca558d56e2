"""What a session remembers: who it is for, how far it may be trusted, and what awaits the caller's yes.

Everything here is decided by the server: the orchestration it reports to, whether the caller is
verified, which read-backs are waiting. A client only proves it holds the session's token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

SESSION_ID = r"^ses-[0-9a-f]{32}$"
KEPT_CLAIMS = 50  # tool-call ids remembered per session, so a retried confirm finds its first run


class Proposal(BaseModel):
    """A side effect read back to the caller: it runs only on a confirm in a later caller turn."""

    id: str
    tool: str
    digest: str  # of the tool and its validated arguments: what a confirm must match (no personal data kept)
    read_back: str  # masked
    caller_turn: int  # the turn in which it was read back
    expires_at: datetime


class Claim(BaseModel):
    """A confirmed side effect, bound to the tool call that carried it out."""

    call_id: str
    digest: str  # of the tool and its arguments: the same id with other arguments is a conflict
    instance_id: str


class Session(BaseModel):
    id: str
    customer_id: str
    channel: Literal["phone", "chat"]
    token_sha256: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    call_instance_id: str  # the orchestration this conversation reports to
    ended_at: datetime | None = None
    farewell_at: datetime | None = None  # end_call on a call: its goodbye and transcript remain, no tool
    verified: bool = False
    verification_failures: int = 0
    caller_turn: int = 0
    turn_busy_until: datetime | None = None  # a chat turn in progress holds the session until then
    proposals: list[Proposal] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    ttl: int  # seconds: Cosmos DB deletes the item after this, whatever happened to it

    def usable(self, now: datetime, idle_seconds: int) -> bool:
        return (self.ended_at is None and now < self.expires_at
                and (now - self.last_seen_at).total_seconds() < idle_seconds)
