"""The ACS side of a call as an engine sees it (CallSide): agent audio paced out in real time, StopAudio,
what the caller has heard.

Engines produce audio faster than real time; sending it all at once would make ACS's queue, not us,
decide what a barge-in cuts, and would make silence timers lie. So audio is queued here in frames
of at most 20 ms, sliced from the base64 text without decoding it, and sent one per frame time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable

from starlette.websockets import WebSocketDisconnect

from media import wire
from media.engine import AudioFormat
from shared.conversation.events import OutEvent

Send = Callable[[str], Awaitable[None]]
Emit = Callable[[OutEvent], Awaitable[None]]


def decoded_bytes(data_b64: str) -> int:
    """Bytes a base64 text decodes to, without decoding it."""
    return len(data_b64) * 3 // 4 - data_b64[-2:].count("=")


class AcsCallSide:
    def __init__(self, send: Send, audio: AudioFormat, emit: Emit) -> None:
        self._send, self._emit = send, emit
        self.audio = audio
        # The longest slice of base64 that is whole samples and whole base64 quanta (6 bytes) within a frame.
        self._slice = (audio.frame_bytes // 6) * 8
        self._frames: deque[str] = deque()
        self._queued_bytes = self._played_bytes = 0  # of the current answer
        self._generation = 0  # bumped by stop_audio: a frame taken before it is not sent after it
        self._sending = asyncio.Lock()
        self._wake = asyncio.Event()
        self._speaking = False
        self._idle = asyncio.Event()
        self._idle.set()
        self.frames_sent = 0
        self.stops_sent = 0
        self.gone = False  # the socket refused a frame: the caller has hung up
        self.silent_since = time.monotonic()  # when the last agent frame finished playing
        self._player = asyncio.create_task(self._play_out())

    # -- CallSide -------------------------------------------------------------------------------

    async def play(self, audio_b64: str) -> None:
        if not audio_b64:
            return
        if not self._speaking:  # a new answer: its counters start at zero
            self._speaking = True
            self._idle.clear()
            self._queued_bytes = self._played_bytes = 0
        step = self._slice
        for start in range(0, len(audio_b64), step):
            self._frames.append(audio_b64[start:start + step])
        self._queued_bytes += decoded_bytes(audio_b64)
        self._wake.set()

    async def stop_audio(self) -> None:
        async with self._sending:
            self._generation += 1
            self._frames.clear()
            self._reset()
            if await self._deliver(wire.STOP_AUDIO):
                self.stops_sent += 1

    def played_ms(self) -> int:
        return int(self._played_bytes / self.audio.bytes_per_ms)

    def queued_ms(self) -> int:
        return int(self._queued_bytes / self.audio.bytes_per_ms)

    def speaking(self) -> bool:
        return self._speaking

    async def emit(self, event: OutEvent) -> None:
        await self._emit(event)

    # -- pacing ---------------------------------------------------------------------------------

    def _reset(self) -> None:
        if self._speaking:
            self.silent_since = time.monotonic()
        self._speaking = False
        self._idle.set()
        self._queued_bytes = self._played_bytes = 0

    async def _play_out(self) -> None:
        per_ms = self.audio.bytes_per_ms
        while True:
            await self._wake.wait()
            self._wake.clear()
            due = time.monotonic()
            while self._frames:
                async with self._sending:
                    if not self._frames:
                        break
                    frame, generation = self._frames.popleft(), self._generation
                    if await self._deliver(wire.audio_out(frame)):
                        self.frames_sent += 1
                size = decoded_bytes(frame)
                due += size / per_ms / 1000
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                if generation == self._generation:  # heard in full (a stop in between reset the count)
                    self._played_bytes += size
            if self._speaking and not self._frames:
                self._reset()

    async def _deliver(self, text: str) -> bool:
        """Sends one frame; a caller already gone loses nothing that matters, and the call's end is the
        receiving side's to notice."""
        if self.gone:
            return False
        try:
            await self._send(text)
        except (OSError, RuntimeError, WebSocketDisconnect):
            self.gone = True
            self._frames.clear()
            return False
        return True

    async def close(self) -> None:
        self._player.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._player

    async def drained(self, timeout_seconds: float) -> None:
        """Waits until what is queued has been played (a goodbye), at most `timeout_seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout_seconds)
