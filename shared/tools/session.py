"""Sessions: a conversation with one verified customer, and the secret that proves it.

The media path opens a session once it has identified the caller by phone number, the web chat
after login. Tools act only for the session's customer. The token itself is never stored: only
its SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from azure.cosmos.aio import ContainerProxy
from pydantic import BaseModel

from shared.data.access import BusinessData
from shared.data.repositories import create_if_absent, read
from shared.settings import Settings
from shared.tools.registry import ToolRefusedError


class Session(BaseModel):
    id: str
    customer_id: str
    channel: Literal["phone", "chat"]
    token_sha256: str
    created_at: datetime
    call_instance_id: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, container: ContainerProxy) -> None:
        self._container = container

    async def open(self, customer_id: str, channel: Literal["phone", "chat"],
                   call_instance_id: str | None = None) -> tuple[Session, str]:
        """A new session; without a call's orchestration it gets a conversation orchestration id of its own."""
        token, session_id = secrets.token_urlsafe(32), f"ses-{uuid.uuid4().hex}"
        session = Session(id=session_id, customer_id=customer_id, channel=channel,
                          token_sha256=_digest(token), created_at=datetime.now(UTC),
                          call_instance_id=call_instance_id or f"conversation-{session_id}")
        await create_if_absent(self._container, session)
        return session, token

    async def get(self, session_id: str) -> Session | None:
        return await read(self._container, Session, session_id, session_id)

    async def verify(self, session_id: str, token: str) -> Session | None:
        session = await self.get(session_id)
        if session is None or not hmac.compare_digest(session.token_sha256, _digest(token)):
            return None
        return session


@dataclass(frozen=True)
class ToolContext:
    """What a tool sees: the verified session, the data, and the id of this call of the tool."""

    session: Session
    data: BusinessData
    settings: Settings
    call_id: str  # the model's tool-call id: side effects are keyed on it, so a retry never repeats them

    def own(self, customer_id: str | None) -> str:
        """The session's customer; refuses any other one named in the arguments."""
        if customer_id not in (None, self.session.customer_id):
            raise ToolRefusedError("I can only act for the verified caller of this conversation")
        return self.session.customer_id
