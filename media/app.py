"""The media container's ASGI app: the ACS media WebSocket of each call, the live transcript feed, health.

`WS /media/{call_id}?token=` is the URL the function app gave ACS when it answered. The token is
exchanged for the call's session (POST /api/calls/{id}/session) before the socket is accepted: a wrong
one is refused before a single frame is read. On shutdown the app stops taking calls (health answers
503, new sockets are refused), lets the calls in progress finish within uvicorn's graceful timeout,
and ends whatever is left cleanly (transcript sent, session ended).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from media.bridge import bridge
from media.engine import AudioFormat, CallContext, VoiceEngine
from media.function_app_client import FunctionAppClient
from media.reporting import CallReporter, LiveFeed
from media.settings import MediaSettings
from media.tool_port import HttpToolPort
from shared.agents.definitions import ENTRY_AGENT

log = logging.getLogger(__name__)
CALL_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
POLICY_VIOLATION, TRY_AGAIN_LATER, INTERNAL_ERROR = 1008, 1013, 1011


class MediaApp:
    """The calls this process carries (for health, the drain and the live feed) and the routes that serve them."""

    def __init__(self, settings: MediaSettings, engines: Callable[[], VoiceEngine] | None,
                 client: FunctionAppClient | None) -> None:
        self.settings, self._engines, self._client, self._own_client = settings, engines, client, client is None
        self.active: dict[str, asyncio.Task[None]] = {}
        self.draining = False
        self.feed = LiveFeed()

    @property
    def function_app(self) -> FunctionAppClient:
        if self._client is None:  # built on the first call, inside the server's event loop
            self._client = FunctionAppClient(self.settings)
        return self._client

    def engine(self) -> VoiceEngine:
        if self._engines is None:
            from media.engines import engine_factory

            self._engines = engine_factory(self.settings)
        return self._engines()

    async def health(self, request: Request) -> JSONResponse:
        body = {"status": "draining" if self.draining else "ok", "calls": len(self.active)}
        return JSONResponse(body, 503 if self.draining else 200)

    async def media(self, websocket: WebSocket) -> None:
        call_id, token = websocket.path_params["call_id"], websocket.query_params.get("token", "")
        if self.draining:
            await websocket.close(TRY_AGAIN_LATER)
            return
        if not CALL_ID.match(call_id) or not token or len(token) > 256:
            await websocket.close(POLICY_VIOLATION)
            return
        try:
            session = await self.function_app.call_session(call_id, token)
        except httpx.HTTPError as error:
            log.warning("call %s: the function app gave no session: %s", call_id, type(error).__name__)
            await websocket.close(INTERNAL_ERROR)
            return
        if session is None:  # refused before a single frame was read
            await websocket.close(POLICY_VIOLATION)
            return
        await websocket.accept()
        call = CallContext(call_id, session.session_id, session.customer_id, session.first_name, ENTRY_AGENT,
                           AudioFormat(), session.facts or {})
        reporter = CallReporter(call_id, self.function_app, session, self.feed)
        self.active[call_id] = asyncio.current_task()  # type: ignore[assignment]
        try:
            stats = await bridge(websocket, call, HttpToolPort(self.function_app, session), self.engine(), reporter)
            log.info("call %s: %d frames in, %d out, %d malformed%s", call_id, stats.frames_in, stats.frames_out,
                     stats.malformed, f", ended: {stats.ended}" if stats.ended else "")
        finally:
            self.active.pop(call_id, None)
            await reporter.flush()
            await self.function_app.end_session(session)

    async def live(self, websocket: WebSocket) -> None:
        """Transcript lines of every call as they happen (JSON text frames), for holders of MEDIA_ADMIN_KEY;
        `call_id=` keeps one call's."""
        given = websocket.headers.get("x-media-admin-key") or websocket.query_params.get("key", "")
        expected = self.settings.media_admin_key
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            await websocket.close(POLICY_VIOLATION)
            return
        only = websocket.query_params.get("call_id")
        await websocket.accept()
        queue = self.feed.watch()
        left = asyncio.ensure_future(websocket.receive())  # a watcher sends nothing: anything is its leaving
        try:
            while True:
                line = asyncio.ensure_future(queue.get())
                await asyncio.wait({line, left}, return_when=asyncio.FIRST_COMPLETED)
                if not line.done():
                    line.cancel()
                    break
                if only is None or line.result()["call_id"] == only:
                    await websocket.send_json(line.result())
        except WebSocketDisconnect:
            pass
        finally:
            self.feed.leave(queue)
            left.cancel()

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        yield
        # uvicorn has stopped listening and waited for the calls within its graceful timeout: end the rest cleanly.
        self.draining = True
        calls = list(self.active.values())
        for task in calls:
            task.cancel()
        for task in calls:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._own_client and self._client is not None:
            await self._client.aclose()


def create_app(settings: MediaSettings, engines: Callable[[], VoiceEngine] | None = None,
               client: FunctionAppClient | None = None) -> Starlette:
    """`engines` makes one engine per call (default: the VOICE_ENGINE one); `client` reaches the function app."""
    media = MediaApp(settings, engines, client)
    app = Starlette(routes=[Route("/health", media.health), WebSocketRoute("/media/{call_id}", media.media),
                            WebSocketRoute("/calls/live", media.live)], lifespan=media.lifespan)
    app.state.media = media
    return app


def _app() -> Starlette:
    logging.basicConfig(level=logging.INFO)
    return create_app(MediaSettings())


class _Lazy:
    """`uvicorn media.app:app` without building settings at import (tests import this module too)."""

    def __init__(self) -> None:
        self._app: Starlette | None = None

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if self._app is None:
            self._app = _app()
        await self._app(scope, receive, send)


app = _Lazy()
