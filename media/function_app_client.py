"""The function app as the media container reaches it: one pooled keep-alive HTTP client per process,
holding the service key; each call's requests carry its session's headers."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from media.settings import MediaSettings

log = logging.getLogger(__name__)
SESSION_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class CallSession:
    """What POST /api/calls/{id}/session answers: the call's session, with a token for the media path."""

    session_id: str
    token: str
    customer_id: str
    verified: bool
    conversation: str
    first_name: str = ""
    facts: dict[str, Any] | None = None  # the caller's profile and the company, for the agents' templates

    @property
    def headers(self) -> dict[str, str]:
        return {"x-session-id": self.session_id, "x-session-token": self.token}


class FunctionAppClient:
    def __init__(self, settings: MediaSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.http = httpx.AsyncClient(
            base_url=settings.function_app_url.rstrip("/"), headers={"x-service-key": settings.service_key},
            timeout=httpx.Timeout(settings.dependency_timeout_seconds * 6, connect=settings.dependency_timeout_seconds),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=60),
            transport=transport)

    async def call_session(self, call_id: str, media_token: str, wait_seconds: float = SESSION_WAIT_SECONDS
                           ) -> CallSession | None:
        """The call's session, or None when the function app refuses the media token (or knows no such call).
        ACS may open the media socket before the call's orchestration has opened its session: wait for it."""
        deadline = time.monotonic() + wait_seconds
        while True:
            answer = await self.http.post(f"/api/calls/{call_id}/session", headers={"x-media-token": media_token})
            if answer.status_code != 409 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        if answer.status_code in (401, 404):
            return None
        answer.raise_for_status()
        body = answer.json()
        return CallSession(body["session_id"], body["token"], body.get("customer_id", ""), bool(body.get("verified")),
                           body.get("conversation", ""), body.get("first_name", ""), body.get("facts"))

    async def post(self, session: CallSession, path: str, body: Any = None, headers: dict[str, str] | None = None
                   ) -> httpx.Response:
        return await self.http.post(path, json=body, headers={**session.headers, **(headers or {})})

    async def end_session(self, session: CallSession) -> None:
        """The call is over on the media side: the conversation's orchestration records it."""
        try:
            await self.post(session, "/api/sessions/end")
        except httpx.HTTPError as error:
            log.warning("session %s could not be ended: %s", session.session_id, type(error).__name__)

    async def aclose(self) -> None:
        await self.http.aclose()
