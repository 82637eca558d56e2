"""The Realtime connection's socket, on picows: the engine's `Connection` (send, recv_bytes, at_once, close).

The openai SDK's connection carries each audio frame through the websockets library's asyncio layer
(locks, drain checks, a message assembler), which measured as the largest single cost of the media
path under load. picows frames, masks and parses in C. The SDK still holds the credentials (its auth
headers, a fresh Entra token); `connector` in media/engines/realtime.py builds the URL in the SDK's
shape, and tests/test_media_realtime.py checks that both sockets reach the same path with the same headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

CLOSED = b""  # what recv_bytes' queue holds once the socket is gone (a Realtime event is never empty)


class ConnectionClosedError(ConnectionError):
    """The model's socket closed (or reset): the engine reconnects."""


class _Listener(WSListener):  # type: ignore[misc]
    def __init__(self) -> None:
        self.messages: asyncio.Queue[bytes] = asyncio.Queue()
        self.take: Callable[[bytes], bool] = lambda message: False
        self._parts: list[bytes] = []

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind in (WSMsgType.TEXT, WSMsgType.BINARY, WSMsgType.CONTINUATION):
            self._parts.append(frame.get_payload_as_bytes())
            if frame.fin:
                message = b"".join(self._parts) if len(self._parts) > 1 else self._parts[0]
                self._parts = []
                # Only with nothing queued: an event taken at once never overtakes one read before it.
                if not (self.messages.empty() and self.take(message)):
                    self.messages.put_nowait(message)
        elif kind == WSMsgType.CLOSE:
            transport.send_close(frame.get_close_code())
            transport.disconnect()

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self.messages.put_nowait(CLOSED)


class PicowsConnection:
    def __init__(self, transport: WSTransport, listener: _Listener) -> None:
        self._transport, self._listener = transport, listener

    def send(self, data: str) -> None:
        if self._transport.is_disconnected:
            raise ConnectionClosedError("the model's socket is closed")
        self._transport.send(WSMsgType.TEXT, data.encode())

    def at_once(self, take: Callable[[bytes], bool]) -> None:
        self._listener.take = take

    async def recv_bytes(self) -> bytes:
        message = await self._listener.messages.get()
        if message == CLOSED:
            self._listener.messages.put_nowait(CLOSED)  # every later call sees the end too
            raise ConnectionClosedError("the model's socket closed")
        return message

    async def close(self) -> None:
        if not self._transport.is_disconnected:
            self._transport.send_close()
            self._transport.disconnect()
        await self._transport.wait_disconnected()


async def connect(url: str, headers: Mapping[str, str]) -> PicowsConnection:
    transport, listener = await ws_connect(_Listener, url, extra_headers=dict(headers), max_frame_size=16 << 20)
    return PicowsConnection(transport, listener)
