"""A phone line in memory: the transport's half of a call, paced like the real one (20 ms frames played in real
time), and the caller's half (their audio fed to an engine in real time). For tests and benches of an
engine without the media WebSocket; `local/phone` places real calls through it.
"""

from __future__ import annotations

import asyncio
import base64
import time
from dataclasses import dataclass, field
from typing import Any

from media.engine import AudioFormat, VoiceEngine

FRAME_SECONDS = 0.02


@dataclass
class Answer:
    """One stretch of agent audio as the caller got it."""

    started_at: float  # perf_counter of its first frame played
    pcm: bytearray = field(default_factory=bytearray)
    stopped_at: float | None = None  # when a stop_audio cut it


class PacedLine:
    """A CallSide: `play` queues, a pacer plays one frame per 20 ms, `stop_audio` drops the queue."""

    def __init__(self, audio: AudioFormat) -> None:
        self.audio = audio
        self._queue: list[bytes] = []
        self._played = 0  # frames of the current answer
        self.answers: list[Answer] = []
        self.events: list[Any] = []
        self.stops: list[float] = []
        self._pacer: asyncio.Task[None] | None = None

    async def __aenter__(self) -> PacedLine:
        self._pacer = asyncio.get_running_loop().create_task(self._pace())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._pacer is not None:
            self._pacer.cancel()

    async def play(self, audio_b64: str) -> None:
        self._queue.append(base64.b64decode(audio_b64))

    async def stop_audio(self) -> None:
        self._queue.clear()
        self._played = 0
        self.stops.append(time.perf_counter())
        if self.answers and self.answers[-1].stopped_at is None:
            self.answers[-1].stopped_at = self.stops[-1]

    def played_ms(self) -> int:
        return int(self._played * FRAME_SECONDS * 1000)

    async def emit(self, event: Any) -> None:
        self.events.append(event)

    @property
    def playing(self) -> bool:
        return bool(self._queue)

    async def _pace(self) -> None:
        next_at, idle = time.perf_counter(), True
        while True:
            next_at += FRAME_SECONDS
            if self._queue:
                frame = self._queue.pop(0)
                if idle:  # audio after silence: a new answer
                    self._played = 0
                    self.answers.append(Answer(time.perf_counter()))
                self._played += 1
                self.answers[-1].pcm += frame
                idle = False
            else:
                idle = True
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


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
            await self._engine.caller_audio(base64.b64encode(frame).decode())
            if speaking and not self._speech and self._done is not None and not self._done.done():
                self._done.set_result(time.perf_counter())
            next_at += FRAME_SECONDS
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
