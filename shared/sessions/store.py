"""Sessions in Cosmos DB: opened by the server, proven by a token stored only as its SHA-256.

Every change is a read-modify-write under the item's etag, so concurrent tool calls and turns of
one session never overwrite each other. Items carry a Cosmos TTL: an abandoned session disappears
from storage by itself, and one past its lifetime or idle timeout is refused before that.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

from azure.cosmos.aio import ContainerProxy
from azure.cosmos.exceptions import CosmosResourceNotFoundError

from shared.data.cosmos import document
from shared.data.repositories import create_if_absent, read, update
from shared.sessions.model import SESSION_ID, Session
from shared.settings import Settings

TOUCH_EVERY = timedelta(seconds=30)  # last_seen_at is rewritten at most this often
TURN_HOLD = timedelta(seconds=60)  # a chat turn that died frees its session after this
TTL_MARGIN = 3600  # storage keeps a session an hour past its lifetime, for the record


class SessionBusyError(RuntimeError):
    """Another turn of this session is still running."""


class SessionGoneError(RuntimeError):
    """The session ended, expired or never existed."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Sessions:
    def __init__(self, container: ContainerProxy, settings: Settings) -> None:
        self._container = container
        self._settings = settings

    async def open(self, customer_id: str, channel: Literal["phone", "chat"], orchestration: str | None = None
                   ) -> tuple[Session, str]:
        """A new session reporting to `orchestration` (a call's), else to a conversation orchestration of its
        own; the token is returned only here. An unknown caller's session has no customer (`""`)."""
        token, session_id, now = secrets.token_urlsafe(32), f"ses-{uuid.uuid4().hex}", _now()
        lifetime = self._settings.session_max_seconds
        session = Session(id=session_id, customer_id=customer_id, channel=channel, token_sha256=_digest(token),
                          created_at=now, expires_at=now + timedelta(seconds=lifetime), last_seen_at=now,
                          call_instance_id=orchestration or f"conversation-{session_id}", ttl=lifetime + TTL_MARGIN)
        await create_if_absent(self._container, session)
        return session, token

    async def new_token(self, session_id: str) -> tuple[Session, str]:
        """A fresh token for a session opened by the server (a call's, handed to the media path); the old one
        stops working."""
        token = secrets.token_urlsafe(32)
        session = await self.change(session_id, lambda s: s.model_copy(update={"token_sha256": _digest(token)}))
        return session, token

    async def get(self, session_id: str) -> Session | None:
        if not re.fullmatch(SESSION_ID, session_id):
            return None
        return await read(self._container, Session, session_id, session_id)

    async def authenticate(self, session_id: str, token: str) -> Session | None:
        """The session if the token proves it and it is still usable; marks it as seen."""
        session = await self.get(session_id)
        now = _now()
        if (session is None or not hmac.compare_digest(session.token_sha256, _digest(token))
                or not session.usable(now, self._settings.session_idle_seconds)):
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            session = await self.change(session.id, lambda s: s.model_copy(update={"last_seen_at": now}))
        return session

    async def change(self, session_id: str, change: Callable[[Session], Session]) -> Session:
        """Applies `change` under the session's etag, again on each conflict; it may raise to give up."""

        def apply(current: dict) -> dict:
            return change(Session.model_validate(current)).model_dump(mode="json")

        try:
            return Session.model_validate(document(await update(self._container, session_id, session_id, apply)))
        except CosmosResourceNotFoundError as gone:
            raise SessionGoneError(session_id) from gone

    async def end(self, session_id: str) -> Session:
        """Revokes the session: its token opens nothing from now on."""
        return await self.change(session_id, lambda s: s if s.ended_at else s.model_copy(update={"ended_at": _now()}))

    async def bid_farewell(self, session_id: str) -> Session:
        """The agent ended a call: the goodbye still plays and is transcribed, but no tool acts any more;
        the session ends when the media path says the call is over."""
        return await self.change(session_id, lambda s: s if s.farewell_at else s.model_copy(
            update={"farewell_at": _now()}))

    async def count_caller_turn(self, session_id: str) -> Session:
        """The caller said something: read-backs from before this turn may now be confirmed."""
        return await self.change(session_id, lambda s: s.model_copy(update={"caller_turn": s.caller_turn + 1}))

    async def begin_turn(self, session_id: str, wait_seconds: float = 10.0) -> Session:
        """Holds the session for one chat turn, waiting for a turn in progress."""
        deadline = asyncio.get_running_loop().time() + wait_seconds

        def take(session: Session) -> Session:
            now = _now()
            if session.turn_busy_until and session.turn_busy_until > now:
                raise SessionBusyError(session.id)
            return session.model_copy(update={"turn_busy_until": now + TURN_HOLD})

        while True:
            try:
                return await self.change(session_id, take)
            except SessionBusyError:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.05)

    async def end_turn(self, session_id: str) -> Session:
        return await self.change(session_id, lambda s: s.model_copy(update={"turn_busy_until": None}))


async def sessions(settings: Settings) -> Sessions:
    from shared.data.cosmos import cosmos_store

    return Sessions(await cosmos_store(settings).container("sessions"), settings)
