"""A call's WebSocket as the bridge sees it: each frame handed to a callback as it is read, text sent at once.

ACS's media sockets are carried by picows (media/call_upgrade.py): a caller's audio frame reaches the engine
in the very callback that read it, with no task woken per frame (at 50 frames a second per call, those
wake-ups were most of the media path's cost). The browser's voice chat speaks the same JSON over Starlette's
WebSocket (StarletteCallSocket); it carries one call, not hundreds, and pays a task per direction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

# A text frame, or None for a frame that is not text (ACS sends text only: the bridge counts it as malformed).
OnFrame = Callable[[str | None], None]
CLOSE_SECONDS = 2.0  # what is queued is sent, and the peer's closing handshake awaited, this long at most


class CallSocket(Protocol):
    def listen(self, on_frame: OnFrame) -> None:
        """From now on every frame goes to `on_frame`, in order (frames read before are handed over first)."""
        ...

    def send_text(self, text: str) -> None:
        """Queues `text` to be sent, without waiting; raises ConnectionError once the peer is gone."""
        ...

    async def closed(self) -> None:
        """Returns once the peer has gone."""
        ...

    async def close(self, code: int = 1000) -> None: ...


class StarletteCallSocket:
    """The browser's voice chat socket: a reader task hands frames over, a writer task sends in order."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._gone = asyncio.Event()
        self._tasks = [asyncio.ensure_future(self._write())]

    def listen(self, on_frame: OnFrame) -> None:
        self._tasks.append(asyncio.ensure_future(self._read(on_frame)))

    def send_text(self, text: str) -> None:
        if self._gone.is_set():
            raise ConnectionError("the browser has left")
        self._outbox.put_nowait(text)

    async def closed(self) -> None:
        await self._gone.wait()

    async def close(self, code: int = 1000) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_SECONDS):
                while not self._outbox.empty() and not self._gone.is_set():  # noqa: ASYNC110 (the writer empties it)
                    await asyncio.sleep(0.01)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._websocket.client_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self._websocket.close(code)

    async def _read(self, on_frame: OnFrame) -> None:
        try:
            while True:
                message = await self._websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                on_frame(message.get("text"))
        except (RuntimeError, WebSocketDisconnect):
            return
        finally:
            self._gone.set()

    async def _write(self) -> None:
        try:
            while True:
                await self._websocket.send_text(await self._outbox.get())
        except (OSError, RuntimeError, WebSocketDisconnect):
            self._gone.set()
