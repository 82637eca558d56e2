"""The ACS side of a call as an engine sees it (CallSide): agent audio paced out in real time, StopAudio,
what the caller has heard.

Engines produce audio faster than real time; sending it all at once would make ACS's queue, not us,
decide what a barge-in cuts, and would make silence timers lie. So audio is queued here in frames
of at most 20 ms, sliced from the base64 text without decoding it, and sent in real time, 60 ms
ahead at most (what ACS buffers against jitter, and what StopAudio drops).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable

from media import wire
from media.engine import AudioFormat
from shared.conversation.events import OutEvent

LEAD_MS = 60  # agent audio sent ahead of real time, for ACS to absorb the network's jitter
Send = Callable[[str], None]  # queues a frame on the socket without waiting; ConnectionError once it is gone
Emit = Callable[[OutEvent], Awaitable[None]]


def decoded_bytes(data_b64: str) -> int:
    """Bytes a base64 text decodes to, without decoding it."""
    return len(data_b64) * 3 // 4 - data_b64[-2:].count("=")


class AcsCallSide:
    def __init__(self, send: Send, audio: AudioFormat, emit: Emit, lead_ms: int = LEAD_MS) -> None:
        self._send, self._emit = send, emit
        self.audio = audio
        # The longest slice of base64 that is whole samples and whole base64 quanta (6 bytes) within a frame.
        self._slice = (audio.frame_bytes // 6) * 8
        self._lead = lead_ms / 1000
        self._frames: deque[str] = deque()
        self._queued_bytes = self._sent_bytes = 0  # of the current answer
        self._heard_until = 0.0  # when what was sent so far will have been played (time.monotonic())
        self._per_ms = audio.bytes_per_ms
        self._per_second = self._per_ms * 1000
        self._wake = asyncio.Event()
        self._end_timer: asyncio.TimerHandle | None = None
        # Frames sent and when each starts to play, as far back as ACS may still hold them: a hold takes
        # back those not yet playing.
        self._in_flight: deque[tuple[str, float]] = deque(maxlen=int(lead_ms * audio.bytes_per_ms)
                                                          // audio.frame_bytes + 2)
        self._held = False
        self._speaking = False
        self._idle = asyncio.Event()
        self._idle.set()
        self.frames_sent = 0
        self.stops_sent = 0
        self.gone = False  # the socket refused a frame: the caller has hung up
        self._player = asyncio.create_task(self._play_out())

    # -- CallSide -------------------------------------------------------------------------------

    def play(self, audio_b64: str) -> None:
        if not audio_b64:
            return
        if not self._speaking:  # a new answer: its counters start at zero
            self._speaking = True
            self._idle.clear()
            self._queued_bytes = self._sent_bytes = 0
        step = self._slice
        for start in range(0, len(audio_b64), step):
            self._frames.append(audio_b64[start:start + step])
        self._queued_bytes += decoded_bytes(audio_b64)
        self._send_or_wake()

    async def stop_audio(self) -> None:
        self._held = False
        self._frames.clear()
        self._reset()
        if self._deliver(wire.STOP_AUDIO):
            self.stops_sent += 1

    async def hold(self) -> None:
        now = time.monotonic()
        unplayed = [frame for frame, starts_at in self._in_flight if starts_at >= now]
        if self._held or not (unplayed or self._frames):  # nothing left to play: nothing to hold
            return
        self._held = True
        self._in_flight.clear()
        self._frames.extendleft(reversed(unplayed))
        self._sent_bytes -= sum(decoded_bytes(frame) for frame in unplayed)
        self._heard_until = now
        if self._deliver(wire.STOP_AUDIO):
            self.stops_sent += 1

    async def resume(self) -> None:
        if not self._held:
            return
        self._held = False
        self._send_or_wake()

    def played_ms(self) -> int:
        """What was sent, less what ACS still holds to play (the lead)."""
        sent_ms = self._sent_bytes / self._per_ms
        return max(0, int(sent_ms - max(0.0, self._heard_until - time.monotonic()) * 1000))

    def queued_ms(self) -> int:
        return int(self._queued_bytes / self._per_ms)

    def speaking(self) -> bool:
        """An answer is being played: from its first chunk until its last frame has been heard."""
        return self._speaking

    async def emit(self, event: OutEvent) -> None:
        await self._emit(event)

    # -- pacing ---------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._speaking = False
        self._idle.set()
        self._queued_bytes = self._sent_bytes = 0
        self._heard_until = time.monotonic()
        self._in_flight.clear()

    def _send_or_wake(self) -> None:
        """Sends what is due now; the pacer sends the rest as it falls due."""
        self._send_due()
        if self._frames:
            self._wake.set()

    def _send_due(self) -> None:
        """Sends the queued frames whose audio before them is at most `lead` from being played: ACS holds
        that much (a jitter buffer, dropped by StopAudio). Called by whoever queued them, so that an engine
        keeping pace with real time costs no task switch per frame; the pacer sends the rest."""
        while self._frames and not self._held and self._heard_until - time.monotonic() <= self._lead:
            frame = self._frames.popleft()
            if self._deliver(wire.audio_out(frame)):
                self.frames_sent += 1
            size, starts_at = decoded_bytes(frame), max(self._heard_until, time.monotonic())
            self._in_flight.append((frame, starts_at))
            self._sent_bytes += size
            self._heard_until = starts_at + size / self._per_second
        self._watch_end()

    async def _play_out(self) -> None:
        """The pacer: sends frames that were queued ahead of their time, as each falls due."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._frames and not self._held:
                ahead = self._heard_until - time.monotonic()
                if ahead > self._lead:
                    await asyncio.sleep(ahead - self._lead)
                self._send_due()

    def _watch_end(self) -> None:
        """The answer is over once its last frame has been played: a loop timer, not a task, watches for it."""
        if self._end_timer is None and self._speaking:
            loop = asyncio.get_running_loop()
            self._end_timer = loop.call_at(loop.time() + max(0.0, self._heard_until - time.monotonic()),
                                           self._end_due)

    def _end_due(self) -> None:
        self._end_timer = None
        if self._held:  # watched again once the answer goes on
            return
        if not self._frames and self._speaking and time.monotonic() >= self._heard_until:
            self._reset()
        else:
            self._watch_end()

    def _deliver(self, text: str) -> bool:
        """Sends one frame; a caller already gone loses nothing that matters, and the call's end is the
        receiving side's to notice."""
        if self.gone:
            return False
        try:
            self._send(text)
        except ConnectionError:
            self.gone = True
            self._frames.clear()
            return False
        return True

    async def close(self) -> None:
        if self._end_timer is not None:
            self._end_timer.cancel()
        self._player.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._player

    async def drained(self, timeout_seconds: float) -> None:
        """Waits until what is queued has been played (a goodbye), at most `timeout_seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout_seconds)
