"""The ACS simulator: Call Automation's REST protocol for the real SDK, Event Grid's envelope for the host.

It serves HTTPS on loopback with a self-signed certificate, checks each request's HMAC-SHA256
signature against its access key (a bad one gets 401, as ACS answers), answers, hangs up and
transfers calls, posts the Call Automation callbacks to each call's callback URL, and places
calls by publishing IncomingCall to the host's Event Grid webhook. A call answered with media
streaming opens its media WebSocket to the transport URL as ACS does (local/acs/media.py): tests and
the phone simulator speak through `media_for(connection_id)`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local.acs.certificate import ensure_certificate
from local.acs.media import MediaStream
from local.threaded_server import serving as threaded

API_VERSION = "2026-03-12"
CALLBACK_DELAY_SECONDS = 0.02  # ACS calls back shortly after it answers a request


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def correlation_of(context: str) -> str:
    """The call id the simulator put into an incomingCallContext (another context: a new call)."""
    try:
        part = context.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["cc"]
    except (IndexError, ValueError, KeyError, TypeError):
        return str(uuid.uuid4())


def _phone(number: str) -> dict[str, Any]:
    return {"kind": "phoneNumber", "rawId": f"4:{number}", "phoneNumber": {"value": number}}


@dataclass
class SimulatedCall:
    connection_id: str
    server_call_id: str
    correlation_id: str
    callback_uri: str
    media: dict[str, Any]
    state: str = "connecting"


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    signed: bool
    at: float = field(default_factory=time.perf_counter)  # when it arrived


@dataclass
class AcsSimulator:
    folder: Path
    host_url: str  # the Functions host, where Event Grid delivers IncomingCall
    system_key: str
    answers: bool = True  # False: every answer request is refused (an expired incomingCallContext)
    connects: bool = True  # False: answered calls never send CallConnected
    transfers: bool = True  # False: every transfer fails (CallTransferFailed)
    # The answer's response this late, its callbacks on their way already: ACS's callbacks can overtake it.
    answer_response_delay: float = 0.0
    access_key: str = field(default_factory=lambda: base64.b64encode(secrets.token_bytes(32)).decode())
    requests: list[Recorded] = field(default_factory=list)
    calls: dict[str, SimulatedCall] = field(default_factory=dict)
    media: dict[str, MediaStream] = field(default_factory=dict)  # by connection id
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)  # callbacks on their way
    _loop: asyncio.AbstractEventLoop | None = None  # the server's
    # Kept open, as Event Grid and ACS keep their connections: a new client costs ~20 ms of TLS set-up.
    _publisher: httpx.Client | None = None
    _caller_back: httpx.AsyncClient | None = None  # on the server's loop
    arrivals: threading.Event = field(default_factory=threading.Event)  # set on each request: wait, don't poll

    @property
    def connection_string(self) -> str:
        return f"endpoint=https://127.0.0.1:{self.port};accesskey={self.access_key}"

    @property
    def certificate(self) -> Path:
        return ensure_certificate(self.folder)[0]

    # -- the caller's side ---------------------------------------------------------------------

    def incoming_call(self, caller: str, recipient: str = "+18005550100", correlation_id: str | None = None
                      ) -> list[dict[str, Any]]:
        """An IncomingCall in the Event Grid schema, as ACS publishes it (an array of one)."""
        correlation_id = correlation_id or str(uuid.uuid4())
        context = base64.urlsafe_b64encode(json.dumps({"cc": correlation_id}).encode()).decode()
        return [{"id": str(uuid.uuid4()),
                 "topic": "/subscriptions/local/resourceGroups/local/providers/Microsoft.Communication/"
                          "communicationServices/simulator",
                 "subject": f"/caller/4:{caller}/recipient/4:{recipient}",
                 "data": {"to": _phone(recipient), "from": _phone(caller),
                          "serverCallId": base64.b64encode(f"server-{correlation_id}".encode()).decode(),
                          "callerDisplayName": "", "customContext": {"sipHeaders": {}, "voipHeaders": {}},
                          "incomingCallContext": f"eyJhbGciOiJub25lIn0.{context}.", "correlationId": correlation_id},
                 "eventType": "Microsoft.Communication.IncomingCall", "dataVersion": "1.0", "metadataVersion": "1",
                 "eventTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")}]

    def ring(self, caller: str, event: list[dict[str, Any]] | None = None) -> httpx.Response:
        """Publishes an IncomingCall to the host's Event Grid webhook, as the Event Grid subscription does."""
        if self._publisher is None:
            self._publisher = httpx.Client(timeout=30)
        return self._publisher.post(f"{self.host_url}/runtime/webhooks/eventgrid",
                                    params={"functionName": "incoming_call", "code": self.system_key},
                                    json=event or self.incoming_call(caller),
                                    headers={"aeg-event-type": "Notification"})

    def hang_up(self, connection_id: str) -> None:
        """The caller hangs up."""
        call = self.calls[connection_id]
        call.state = "disconnected"
        self._stop_media(connection_id)
        self._post_callbacks(call, ["CallDisconnected"])

    def media_for(self, connection_id: str, timeout_seconds: float = 15.0) -> MediaStream:
        """The call's media stream (it opens as the call connects)."""
        deadline = time.monotonic() + timeout_seconds
        while connection_id not in self.media:
            if time.monotonic() > deadline:
                raise LookupError(f"call {connection_id} has no media stream")
            time.sleep(0.01)
        return self.media[connection_id]

    def open_media(self, url: str, audio_format: str = "pcm24KMono") -> MediaStream:
        """A media stream to any URL, opened as ACS opens a call's (tests of what the media path refuses)."""
        stream = MediaStream(url, audio_format)
        assert self._loop is not None, "the simulator has not served a request yet"
        stream.start(self._loop)
        return stream

    def _stop_media(self, connection_id: str) -> None:
        if connection_id in self.media:
            self.media[connection_id].hang_up()

    # -- the service ---------------------------------------------------------------------------

    def _signed(self, request: Request, body: bytes) -> bool:
        authorization = request.headers.get("authorization", "")
        date, content_hash = request.headers.get("x-ms-date", ""), request.headers.get("x-ms-content-sha256", "")
        if not authorization.startswith("HMAC-SHA256 ") or "&Signature=" not in authorization:
            return False
        if content_hash != base64.b64encode(hashlib.sha256(body).digest()).decode():
            return False
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        to_sign = f"{request.method}\n{path}\n{date};{request.headers.get('host', '')};{content_hash}"
        expected = base64.b64encode(hmac.new(base64.b64decode(self.access_key), to_sign.encode(),
                                             hashlib.sha256).digest()).decode()
        return hmac.compare_digest(authorization.split("&Signature=", 1)[1], expected)

    async def _checked(self, request: Request) -> tuple[Any, Response | None]:
        self._loop = asyncio.get_running_loop()
        arrived = time.perf_counter()
        body = await request.body()
        signed = self._signed(request, body)
        parsed = json.loads(body) if body else None
        self.requests.append(Recorded(request.method, request.url.path, parsed, signed, arrived))
        self.arrivals.set()
        if not signed:
            return parsed, JSONResponse({"error": {"code": "Denied", "message": "Denied by the signature"}}, 401)
        return parsed, None

    async def _answer(self, request: Request) -> Response:
        body, refused = await self._checked(request)
        if refused:
            return refused
        if not self.answers:
            return JSONResponse({"error": {"code": "BadRequest", "message": "The incomingCallContext has expired."}},
                                400)
        correlation_id = correlation_of(body["incomingCallContext"])
        call = SimulatedCall(connection_id=str(uuid.uuid4()),
                             server_call_id=base64.b64encode(f"server-{correlation_id}".encode()).decode(),
                             correlation_id=correlation_id, callback_uri=body["callbackUri"],
                             media=body.get("mediaStreamingOptions") or body.get("mediaStreamingConfiguration") or {})
        self.calls[call.connection_id] = call
        if self.connects:
            self._post_callbacks(call, ["CallConnected", "MediaStreamingStarted"])
            if call.media.get("transportUrl") and call.media.get("startMediaStreaming"):
                stream = MediaStream(call.media["transportUrl"], call.media.get("audioFormat", "pcm24KMono"))
                self.media[call.connection_id] = stream
                stream.start(asyncio.get_running_loop())
        await asyncio.sleep(self.answer_response_delay)
        return JSONResponse(self._properties(call))

    async def _terminate(self, request: Request) -> Response:
        _, refused = await self._checked(request)
        if refused:
            return refused
        call = self.calls.get(request.path_params["connection"].split(":")[0])
        if call is None or call.state == "disconnected":
            return JSONResponse({"error": {"code": "NotFound", "message": "Call not found"}}, 404)
        call.state = "disconnected"
        self._stop_media(call.connection_id)
        self._post_callbacks(call, ["CallDisconnected"])
        return Response(status_code=204)

    async def _call_action(self, request: Request) -> Response:
        connection, _, action = request.path_params["connection"].partition(":")
        if action == "terminate":
            return await self._terminate(request)
        _, refused = await self._checked(request)
        if refused:
            return refused
        call = self.calls.get(connection)
        if call is None or action != "transferToParticipant":
            return JSONResponse({"error": {"code": "NotFound", "message": f"no {action} for this call"}}, 404)
        self._post_callbacks(call, ["CallTransferAccepted" if self.transfers else "CallTransferFailed"],
                             failed=not self.transfers)
        return JSONResponse({"operationContext": "transfer-to-human"}, 202)

    async def _get(self, request: Request) -> Response:
        _, refused = await self._checked(request)
        if refused:
            return refused
        call = self.calls.get(request.path_params["connection"])
        return JSONResponse(self._properties(call)) if call else JSONResponse({"error": {"code": "NotFound"}}, 404)

    def _properties(self, call: SimulatedCall) -> dict[str, Any]:
        return {"callConnectionId": call.connection_id, "serverCallId": call.server_call_id,
                "callbackUri": call.callback_uri, "callConnectionState": call.state,
                "correlationId": call.correlation_id, "targets": []}

    def _post_callbacks(self, call: SimulatedCall, types: list[str], failed: bool = False) -> None:
        events = [{"id": str(uuid.uuid4()), "source": f"calling/callConnections/{call.connection_id}",
                   "type": f"Microsoft.Communication.{kind}", "specversion": "1.0",
                   "datacontenttype": "application/json", "subject": f"calling/callConnections/{call.connection_id}",
                   "time": datetime.now(UTC).isoformat(),
                   "data": {"version": API_VERSION, "publicEventType": f"Microsoft.Communication.{kind}",
                            "callConnectionId": call.connection_id, "serverCallId": call.server_call_id,
                            "correlationId": call.correlation_id,
                            "resultInformation": {"code": 500 if failed else 200, "subCode": 7510 if failed else 0,
                                                  "message": "Transfer failed." if failed else "Success."}}}
                  for kind in types]
        if "CallConnected" in types:
            call.state = "connected"

        async def deliver() -> None:
            await asyncio.sleep(CALLBACK_DELAY_SECONDS)
            if self._caller_back is None:
                self._caller_back = httpx.AsyncClient(timeout=30)
            try:
                answered = await self._caller_back.post(call.callback_uri, json=events)
            except httpx.TransportError as error:  # ACS would retry; the simulator records it
                self.callbacks.append({"types": types, "error": type(error).__name__})
                return
            self.callbacks.append({"types": types, "status": answered.status_code})

        assert self._loop is not None  # a call exists only once the server has answered a request
        if _running_loop() is self._loop:
            task = self._loop.create_task(deliver())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        # The caller's side, from another thread: on the server's loop (its client lives there).
        delivered = asyncio.run_coroutine_threadsafe(deliver(), self._loop)
        if _running_loop() is None:  # a plain thread can wait for it
            delivered.result(30)

    @contextmanager
    def serving(self) -> Iterator[AcsSimulator]:
        """Serves HTTPS in a thread until the block ends."""
        app = Starlette(routes=[
            Route("/calling/callConnections:answer", self._answer, methods=["POST"]),
            Route("/calling/callConnections/{connection}", self._call_action, methods=["POST"]),
            Route("/calling/callConnections/{connection}", self._get, methods=["GET"]),
            Route("/calling/callConnections/{connection}", self._terminate, methods=["DELETE"]),
        ])
        with threaded(app, ensure_certificate(self.folder)) as self.port:
            try:
                yield self
            finally:
                self._close_clients()

    def _close_clients(self) -> None:
        if self._publisher is not None:
            self._publisher.close()
        if self._caller_back is not None and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._caller_back.aclose(), self._loop).result(5)
        self._publisher = self._caller_back = None
