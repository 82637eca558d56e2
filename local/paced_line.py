"""A phone line in memory: the media path's own transport (media.transport.AcsCallSide: 20 ms frames paced in
real time, StopAudio) with the ACS wire frames it sends collected instead of sent, and the caller's side
(their audio fed to an engine in real time). For tests and benches of an engine without a WebSocket.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from media.engine import AudioFormat, VoiceEngine
from media.transport import AcsCallSide

FRAME_SECONDS = 0.02


@dataclass
class Answer:
    """One stretch of agent audio as the caller got it."""

    started_at: float  # perf_counter of its first frame
    pcm: bytearray = field(default_factory=bytearray)
    stopped_at: float | None = None  # when a StopAudio cut it


class PacedLine(AcsCallSide):
    """The transport, its wire frames read back: `answers` (what the caller heard, when), `stops`, `events`."""

    def __init__(self, audio: AudioFormat) -> None:
        self.answers: list[Answer] = []
        self.events: list[Any] = []
        self.stops: list[float] = []
        self._last_frame_at = 0.0
        super().__init__(self._receive, audio, self._collect)

    async def __aenter__(self) -> PacedLine:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @property
    def playing(self) -> bool:
        return self.speaking()

    async def _collect(self, event: Any) -> None:
        self.events.append(event)

    def _receive(self, text: str) -> None:
        frame, now = json.loads(text), time.perf_counter()
        if frame["kind"] == "StopAudio":
            self.stops.append(now)
            if self.answers and self.answers[-1].stopped_at is None:
                self.answers[-1].stopped_at = now
            return
        if not self.answers or self.answers[-1].stopped_at is not None or now - self._last_frame_at > 0.1:
            self.answers.append(Answer(now))  # audio after a pause: a new answer
        self.answers[-1].pcm += base64.b64decode(frame["audioData"]["data"])
        self._last_frame_at = now


class Caller:
    """The caller's microphone: 20 ms frames to the engine in real time, silence between what they say."""

    def __init__(self, engine: VoiceEngine, audio: AudioFormat) -> None:
        self._engine, self._audio = engine, audio
        self._speech = bytearray()
        self._done: asyncio.Future[float] | None = None
        self.began_at: float | None = None  # perf_counter of the first frame of the latest speech
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Caller:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()

    async def say(self, pcm: bytes) -> float:
        """Speaks `pcm`; returns the perf_counter at which its last frame was sent (the end of the speech)."""
        self._done, self.began_at = asyncio.get_running_loop().create_future(), None
        self._speech += pcm
        return await self._done

    async def _run(self) -> None:
        size, silence = self._audio.frame_bytes, bytes(self._audio.frame_bytes)
        next_at = time.perf_counter()
        while True:
            speaking = bool(self._speech)
            frame = bytes(self._speech[:size]).ljust(size, b"\0") if speaking else silence
            del self._speech[:size]
            if speaking and self.began_at is None:
                self.began_at = time.perf_counter()
            self._engine.caller_audio(base64.b64encode(frame).decode())
            if speaking and not self._speech and self._done is not None and not self._done.done():
                self._done.set_result(time.perf_counter())
            next_at += FRAME_SECONDS
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
