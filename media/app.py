"""The media container's ASGI app: the ACS media WebSocket of each call, the browser's voice chat and the web UI
(media/web.py), the live transcript feed, health.

`WS /media/{call_id}?token=` is the URL the function app gave ACS when it answered; those sockets are
taken ahead of ASGI (media/call_upgrade.py, served as media/server.py sets up) and admitted here: the
token is exchanged for the call's session (POST /api/calls/{id}/session) before the handshake, so a
wrong one is refused before a single frame is read. On SIGTERM the app stops taking calls (health answers
503, new sockets are refused), lets the calls in progress finish (MEDIA_DRAIN_SECONDS at most), and
only then lets uvicorn stop; whatever is left then ends cleanly (transcript sent, session ended).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import json
import logging
import re
import signal
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from media import web
from media.bridge import bridge
from media.browser_events import browser_event
from media.call_socket import CallSocket, StarletteCallSocket
from media.engine import AudioFormat, CallContext, VoiceEngine
from media.engines import engine_factory, voices
from media.function_app_client import CallSession, FunctionAppClient
from media.reporting import CallReporter, LiveFeed
from media.settings import MediaSettings
from media.tool_port import HttpToolPort
from media.voice_ticket import VoiceTicket
from shared.agents.definitions import ENTRY_AGENT
from shared.conversation.events import OutEvent

log = logging.getLogger(__name__)
CALL_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
POLICY_VIOLATION, TRY_AGAIN_LATER = 1008, 1013  # WebSocket close codes
FORBIDDEN, BAD_GATEWAY, SERVICE_UNAVAILABLE = 403, 502, 503  # a media socket's upgrade refused


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
        assert self._engines is not None, "the app's lifespan builds the engine factory"
        return self._engines()

    async def health(self, request: Request) -> JSONResponse:
        body = {"status": "draining" if self.draining else "ok", "calls": len(self.active)}
        return JSONResponse(body, 503 if self.draining else 200)

    async def admit(self, call_id: str, token: str) -> CallSession | int:
        """A call's media socket asks in (media/call_upgrade.py): its session, or the HTTP status to refuse it with
        before the handshake, so that a wrong token never has a frame read."""
        if self.draining:
            return SERVICE_UNAVAILABLE  # this replica is stopping: ACS's retry goes to another
        if not CALL_ID.match(call_id) or not token or len(token) > 256:
            return FORBIDDEN
        try:
            session = await self.function_app.call_session(call_id, token)
        except httpx.HTTPError as error:
            log.warning("call %s: the function app gave no session: %s", call_id, type(error).__name__)
            return BAD_GATEWAY
        return FORBIDDEN if session is None else session

    async def carry(self, socket: CallSocket, call_id: str, session: CallSession) -> None:
        """A phone call over its accepted media socket, until it ends; its session ends with it."""
        try:
            await self._carry(socket, call_id, session)
        finally:
            await self.function_app.end_session(session)

    async def browser_call(self, websocket: WebSocket, ticket: VoiceTicket, token: str, voice: str) -> None:
        """The web UI's voice chat (media/web.py let the socket in): a call like a phone call, its events also
        told to the browser; the session outlives it, as the page may go on in text."""
        if self.draining:
            await websocket.close(TRY_AGAIN_LATER)
            return
        session = CallSession(ticket.session_id, token, ticket.customer_id, ticket.verified, ticket.conversation,
                              ticket.first_name, ticket.facts)

        socket = StarletteCallSocket(websocket)

        async def tell(event: OutEvent) -> None:
            if (frame := browser_event(event)) is not None:
                with contextlib.suppress(ConnectionError):  # the browser left: the call ends with its socket
                    socket.send_text(json.dumps(frame))

        await self._carry(socket, ticket.conversation, session, tell, voice)

    async def _carry(self, socket: CallSocket, call_id: str, session: CallSession,
                     also: Callable[[OutEvent], Awaitable[None]] | None = None, voice: str = "") -> None:
        """Runs one call over its accepted socket until it ends; its transcript is sent on before this returns."""
        call = CallContext(call_id, session.session_id, session.customer_id, session.first_name, ENTRY_AGENT,
                           AudioFormat(), session.facts or {}, voice)
        reporter = CallReporter(call_id, self.function_app, session, self.feed)

        async def on_event(event: OutEvent) -> None:
            await reporter(event)
            if also is not None:
                await also(event)

        self.active[call_id] = asyncio.current_task()  # type: ignore[assignment]
        try:
            stats = await bridge(socket, call, HttpToolPort(self.function_app, session), self.engine(), on_event)
            log.info("call %s: %d frames in, %d out, %d malformed%s", call_id, stats.frames_in, stats.frames_out,
                     stats.malformed, f", ended: {stats.ended}" if stats.ended else "")
        finally:
            self.active.pop(call_id, None)
            await reporter.flush()

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

    def drain(self, stop_server: Callable[[], None]) -> None:
        """Stops taking calls (health answers 503, new sockets are refused), waits for the calls in progress to
        end, at most MEDIA_DRAIN_SECONDS, then lets the server stop."""
        if self.draining:
            return
        self.draining = True
        log.info("draining: %d calls in progress", len(self.active))

        async def wait_then_stop() -> None:
            deadline = time.monotonic() + self.settings.media_drain_seconds
            while self.active and time.monotonic() < deadline:  # noqa: ASYNC110 (calls end on their own)
                await asyncio.sleep(0.2)
            stop_server()

        self._drainer = asyncio.ensure_future(wait_then_stop())

    def _on_terminate(self) -> None:
        """SIGTERM (a replica being stopped): drain first, then hand the signal to uvicorn, which would otherwise
        close every call's socket at once."""
        if threading.current_thread() is not threading.main_thread():
            return  # a server in a thread (tests) has no signals to take over
        loop = asyncio.get_running_loop()
        uvicorn_handler = signal.getsignal(signal.SIGTERM)
        if not callable(uvicorn_handler):
            return

        def on_signal(number: int, frame: FrameType | None) -> None:
            loop.call_soon_threadsafe(self.drain, lambda: uvicorn_handler(number, frame))

        signal.signal(signal.SIGTERM, on_signal)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[dict[str, Any]]:
        self._on_terminate()
        if self._engines is None:
            self._engines = engine_factory(self.settings)  # before the health check passes: no call waits
        # What is loaded by now lives as long as the process: kept out of the collector's sight, a full collection
        # walks only the calls' objects (it walked every SDK class too: 95-150 ms stalls at 100 calls and more).
        gc.collect()
        gc.freeze()
        yield {"media": self}  # uvicorn's app state: media/call_upgrade.py admits calls' sockets through it
        # What is left after the drain (or after uvicorn's own graceful timeout) ends cleanly: transcript, session.
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
    app = Starlette(routes=[Route("/health", media.health), WebSocketRoute("/calls/live", media.live),
                            *web.routes(settings.function_app_url, settings.service_key, web.DIST, media.browser_call,
                                        voices(settings))], lifespan=media.lifespan)
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
