"""The web UI's backend in the media container: the built single-page app, the function app's API on the
same origin, and the voice chat: its session opened on the browser's behalf, its socket into the media path.

The browser never holds the service key: `/api/*` passes the admin key the browser sends
(`x-functions-key`) and nothing else of its credentials, and only `/voice/*` adds the service key, for
routes that a session (or the admin key, for the demo login) already admits. The voice socket
(`/voice/audio`) first gets the session's token and ticket (media/voice_ticket.py), then speaks the ACS
media JSON, and the media path runs it as it runs a phone call.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect

from media.voice_ticket import VoiceTicket, issue, verify

DIST = Path(__file__).resolve().parent.parent / "web" / "dist"  # the Dockerfile copies the build there too
# What of a browser's request reaches the function app: the admin key and the body's description.
FORWARDED = ("x-functions-key", "content-type", "accept")
SESSION_HEADERS = ("x-session-id", "x-session-token")
PASSED_BACK = ("content-type", "x-ms-continuation-token", "retry-after")
MAX_JSON = 64 * 1024  # a voice chat message (the function app's own limit for JSON bodies)
TIMEOUT = httpx.Timeout(60.0, connect=5.0)
HELLO_SECONDS = 5.0  # for the voice socket's first frame (token and ticket)
POLICY_VIOLATION, TRY_AGAIN_LATER = 1008, 1013
# Runs one browser voice call on the media path: the accepted socket (speaking the ACS media JSON from here
# on), the session the ticket vouches for, its token, and the voice the caller chose ("": the agent's own).
VoiceCall = Callable[[WebSocket, VoiceTicket, str, str], Awaitable[None]]
VOICE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")  # a voice's name, as the engines' providers spell them


class SinglePageApp(StaticFiles):
    """The built files; any other path is the app's own (index.html), so a reload keeps its page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            return await super().get_response("index.html", scope)


class WebBackend:
    """The web UI's routes over one pooled client of the function app."""

    def __init__(self, function_app_url: str, service_key: str, voice: VoiceCall | None,
                 voices: Sequence[str]) -> None:
        self.upstream = httpx.AsyncClient(base_url=function_app_url.rstrip("/"), timeout=TIMEOUT)
        self.service_key, self.voice, self.voices = service_key, voice, list(voices)

    async def relay(self, method: str, path: str, headers: dict[str, str], body: bytes = b"",
                    params: Any = None) -> Response:
        try:
            answer = await self.upstream.request(method, path, headers=headers, content=body, params=params)
        except httpx.TransportError as error:
            return JSONResponse({"error": f"the function app is not answering ({type(error).__name__})"}, 502)
        kept = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_BACK}
        return Response(answer.content, answer.status_code, headers=kept)

    async def api(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED}
        return await self.relay(request.method, request.url.path, headers, await request.body(),
                                request.query_params.multi_items())

    async def open_session(self, request: Request) -> Response:
        """The demo login: whoever holds the admin key picks a customer; the session is opened with the
        service key, and the browser gets only the session (its id and token) and its voice ticket."""
        body = await _json(request)
        if isinstance(body, Response):
            return body
        customer_id = body.get("customer_id")
        if not isinstance(customer_id, str) or not customer_id:
            return JSONResponse({"error": "customer_id: a customer's id is required"}, 400)
        key = {"x-functions-key": request.headers.get("x-functions-key", "")}
        known = await self.relay("GET", f"/api/admin/customers/{quote(customer_id, safe='')}", key)
        if known.status_code != 200:  # no key, a wrong one, a malformed id or no such customer: its answer
            return known
        opened = await self.relay("POST", "/api/sessions", {"x-service-key": self.service_key,
                                                             "content-type": "application/json"},
                                  json.dumps({"channel": "chat", "customer_id": customer_id}).encode())
        if opened.status_code != 201:
            return opened
        session = json.loads(opened.body)
        company = await self.relay("GET", "/api/admin/company", key)
        facts = {"company": json.loads(company.body).get("name", "") if company.status_code == 200 else "",
                 "customer": json.loads(known.body)}
        ticket = VoiceTicket(session["session_id"], session["customer_id"], session.get("first_name", ""),
                             session["conversation"], bool(session.get("verified")), facts)
        return JSONResponse({**session, "ticket": issue(self.service_key, ticket, session["token"])}, 201)

    def for_session(self, path: str, takes_body: bool) -> Callable[[Request], Awaitable[Response]]:
        """A client route for the session whose headers the browser sends; the service key is added here."""

        async def forward(request: Request) -> Response:
            body = await request.body()
            if len(body) > MAX_JSON or (body and not takes_body):
                return JSONResponse({"error": f"the body is over this route's limit ({MAX_JSON} bytes)"}, 413)
            headers = {k: v for k, v in request.headers.items() if k.lower() in SESSION_HEADERS}
            return await self.relay("POST", path, {**headers, "x-service-key": self.service_key,
                                                   "content-type": "application/json"}, body)

        return forward

    async def voice_status(self, request: Request) -> Response:
        return JSONResponse({"voice": self.voice is not None, "voices": self.voices if self.voice else []})

    async def voice_socket(self, websocket: WebSocket) -> None:
        """The browser's call: its first frame proves the session (token and ticket) and names the voice; the
        rest is the call's."""
        await websocket.accept()
        if self.voice is None:
            await websocket.close(TRY_AGAIN_LATER, "voice needs the media path, which this server does not run")
            return
        admitted = await self._hello(websocket)
        if isinstance(admitted, str):
            await websocket.close(POLICY_VIOLATION, admitted)
            return
        await self.voice(websocket, *admitted)

    async def _hello(self, websocket: WebSocket) -> tuple[VoiceTicket, str, str] | str:
        """(the session, its token, the voice) from the socket's first frame, or why it is refused."""
        try:
            async with asyncio.timeout(HELLO_SECONDS):
                hello = json.loads(await websocket.receive_text())
        except (TimeoutError, ValueError, RecursionError, KeyError, WebSocketDisconnect):
            hello = None
        if not isinstance(hello, dict) or hello.get("kind") != "Hello":
            return "the first frame must be a Hello with the session's token and ticket"
        token, ticket, voice = hello.get("token"), hello.get("ticket"), hello.get("voice") or ""
        if not isinstance(token, str) or not isinstance(ticket, str) or not (
                session := verify(self.service_key, ticket, token)):
            return "no valid session token and ticket"
        if not isinstance(voice, str) or (voice and not VOICE.match(voice)):
            return "voice: a voice's name of letters, digits and _ . : -"
        return session, token, voice


def routes(function_app_url: str, service_key: str, dist: Path, voice: VoiceCall | None = None,
           voices: Sequence[str] = ()) -> list[BaseRoute]:
    """The web UI's routes; they end in a catch-all, so they go after the media app's own routes. Without
    `voice` (no media path in this process) the voice chat is text only and says so; `voices` are the ones the
    caller may pick."""
    web = WebBackend(function_app_url, service_key, voice, voices)
    found: list[BaseRoute] = [
        Route("/api/{path:path}", web.api, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/voice/sessions", web.open_session, methods=["POST"]),
        Route("/voice/chat", web.for_session("/api/chat", takes_body=True), methods=["POST"]),
        Route("/voice/end", web.for_session("/api/sessions/end", takes_body=False), methods=["POST"]),
        Route("/voice/status", web.voice_status, methods=["GET"]),
        WebSocketRoute("/voice/audio", web.voice_socket),
    ]
    if (dist / "index.html").is_file():
        return [*found, Mount("/", SinglePageApp(directory=dist, html=True))]
    return [*found, Route("/{path:path}", _not_built(dist))]


async def _json(request: Request) -> dict[str, Any] | Response:
    body = await request.body()
    if len(body) > MAX_JSON:
        return JSONResponse({"error": f"the body is over this route's limit ({MAX_JSON} bytes)"}, 413)
    try:
        parsed = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return JSONResponse({"error": "the body is not JSON"}, 400)
    return parsed if isinstance(parsed, dict) else JSONResponse({"error": "the body must be a JSON object"}, 400)


def _not_built(dist: Path) -> Callable[[Request], Awaitable[Response]]:
    async def answer(request: Request) -> Response:
        return PlainTextResponse(f"The web UI is not built ({dist} has no index.html): run `make setup`.", 503)

    return answer
