"""The media app's WebSocket upgrades: ACS's `/media/{call_id}` sockets on picows, every other one on
websockets-sansio through ASGI (the live feed, the browser's voice chat).

uvicorn hands each upgrade request to its WebSocket protocol class; this one is that class. For a call's
media socket it checks the call's token with the function app first (a wrong one is refused with a 403
before the handshake: not a frame is read), then gives the connection to picows, whose C framing hands
each frame to the call as it is read (PicowsCallSocket). A call costs four WebSocket messages per 20 ms
frame (ACS in, the model's append out, its audio in, ACS out); through ASGI each one woke a task and went
through Python framing and two wrappers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote

from picows import WSAutoPingStrategy, WSFrame, WSListener, WSMsgType, WSTransport
from picows.picows import WSProtocol  # what ws_create_server builds per connection (picows pinned: re-check on upgrade)
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from media.call_socket import OnFrame
from media.function_app_client import CallSession
from media.wire import MAX_FRAME_CHARS

log = logging.getLogger(__name__)
MEDIA_PREFIX = b"/media/"
MAX_SOCKET_FRAME = 16 << 20  # bigger is a protocol error (picows closes); up to it, the bridge skips what is not ACS's
EARLY_FRAMES = 500  # frames read before the bridge listens (10 s of audio): more is not a caller's
HANDSHAKE_SECONDS = 5.0
INTERNAL_ERROR = 500
_calls: set[asyncio.Task[None]] = set()  # the calls being taken: a task no one holds may be collected


class CallAdmission(Protocol):
    """What the router needs of the media app (media.app.MediaApp)."""

    async def admit(self, call_id: str, token: str) -> CallSession | int:
        """The call's session, or the HTTP status to refuse the upgrade with."""
        ...

    async def carry(self, socket: PicowsCallSocket, call_id: str, session: CallSession) -> None: ...


class PicowsCallSocket(WSListener):  # type: ignore[misc]
    """A call's media socket on picows (media.call_socket.CallSocket)."""

    def __init__(self) -> None:
        self._transport: WSTransport | None = None
        self._on_frame: OnFrame | None = None
        self._early: list[str | None] = []
        self._parts: list[bytes] = []
        self._gone = asyncio.Event()
        self.connected = asyncio.get_running_loop().create_future()

    # -- picows ---------------------------------------------------------------------------------

    def on_ws_connected(self, transport: WSTransport) -> None:
        self._transport = transport
        self.connected.set_result(None)

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind == WSMsgType.CLOSE:
            transport.send_close(frame.get_close_code())
            transport.disconnect()
            return
        if kind in (WSMsgType.PING, WSMsgType.PONG):  # pongs are picows's
            return
        if kind == WSMsgType.BINARY or (kind == WSMsgType.CONTINUATION and not self._parts):
            self._parts = []
            self._hand(None)
            return
        if not frame.fin or self._parts:  # a fragmented text message (ACS sends whole ones): gathered, bounded
            self._parts.append(frame.get_payload_as_bytes())
            if sum(map(len, self._parts)) > MAX_FRAME_CHARS:
                self._parts = [b"\0" * (MAX_FRAME_CHARS + 1)]  # kept too large: skipped whole when it ends
            if not frame.fin:
                return
            payload, self._parts = b"".join(self._parts), []
        else:
            payload = frame.get_payload_as_memoryview()
        try:
            text: str | None = str(payload, "utf-8")
        except UnicodeDecodeError:
            text = None
        self._hand(text)

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self._gone.set()

    def _hand(self, text: str | None) -> None:
        if self._on_frame is not None:
            self._on_frame(text)
        elif len(self._early) < EARLY_FRAMES:
            self._early.append(text)

    # -- CallSocket -----------------------------------------------------------------------------

    def listen(self, on_frame: OnFrame) -> None:
        early, self._early = self._early, []
        for text in early:
            on_frame(text)
        self._on_frame = on_frame

    def send_text(self, text: str) -> None:
        transport = self._transport
        if transport is None or transport.is_disconnected:
            raise ConnectionError("the caller has hung up")
        try:
            transport.send(WSMsgType.TEXT, text.encode())
        except RuntimeError as error:  # the transport is closing
            raise ConnectionError("the caller has hung up") from error

    async def closed(self) -> None:
        await self._gone.wait()

    async def close(self, code: int = 1000) -> None:
        transport = self._transport
        if transport is None:
            return
        if not transport.is_disconnected:
            with contextlib.suppress(Exception):
                transport.send_close(code)
            transport.disconnect()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(transport.wait_disconnected(), HANDSHAKE_SECONDS)


class WebSocketRouter(WebSocketsSansIOProtocol):
    """uvicorn's `ws` protocol class for the media app (media/server.py): decides on the upgrade request."""

    def __init__(self, config: Any, server_state: Any, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._media: CallAdmission | None = app_state.get("media")
        self._raw: asyncio.Transport | None = None
        self._routed = False
        self._call: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # type: ignore[override]
        self._raw = transport  # type: ignore[assignment]  # the request decides who takes it

    def data_received(self, data: bytes) -> None:
        if self._routed:
            super().data_received(data)
            return
        self._routed = True
        target = data[data.find(b" ") + 1:data.find(b" HTTP/")]
        if self._media is not None and target.startswith(MEDIA_PREFIX):
            self._call = asyncio.ensure_future(self._take_call(data, target))
            _calls.add(self._call)
            self._call.add_done_callback(_calls.discard)
            return
        super().connection_made(self._raw)  # type: ignore[arg-type]
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._call is None:
            super().connection_lost(exc)

    async def _take_call(self, request: bytes, target: bytes) -> None:
        """Checks the token (reading paused meanwhile), hands the connection to picows, carries the call."""
        transport, media = self._raw, self._media
        assert transport is not None and media is not None
        path, _, query = target.decode("latin-1").partition("?")
        call_id = unquote(path[len(MEDIA_PREFIX):])
        transport.pause_reading()
        try:
            admitted = await media.admit(call_id, (parse_qs(query).get("token") or [""])[0])
        except Exception:
            log.exception("call %s: not admitted", call_id)
            admitted = INTERNAL_ERROR
        if transport.is_closing():
            return
        if not isinstance(admitted, CallSession):
            transport.write(f"HTTP/1.1 {admitted} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
            transport.close()
            return
        socket = PicowsCallSocket()
        protocol = _picows_protocol(socket)
        protocol.connection_made(transport)
        transport.set_protocol(protocol)
        buffer = protocol.get_buffer(-1)
        request = _upgrade_only(request)
        buffer[:len(request)] = request
        protocol.buffer_updated(len(request))
        transport.resume_reading()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(socket.connected), HANDSHAKE_SECONDS)
        if socket.connected.done():
            await media.carry(socket, call_id, admitted)
        else:  # picows refused the handshake (and answered it)
            socket.connected.cancel()


def _upgrade_only(request: bytes) -> bytes:
    """The request as uvicorn rebuilt it, with `Connection: Upgrade` alone (picows takes no list, such as
    browsers' `keep-alive, Upgrade`; uvicorn has already seen it is an upgrade)."""
    lines = request.split(b"\r\n")
    return b"\r\n".join(b"connection: Upgrade" if line.lower().startswith(b"connection:") else line
                        for line in lines)


def _picows_protocol(listener: PicowsCallSocket) -> WSProtocol:
    """picows's server protocol for one accepted connection (what picows.ws_create_server builds per socket)."""
    return WSProtocol(None, None, False, lambda request: listener, logging.getLogger("picows.media"), True,
                      HANDSHAKE_SECONDS, False, 20, 20, WSAutoPingStrategy.PING_WHEN_IDLE, True, MAX_SOCKET_FRAME,
                      None, 16 * 1024)
