"""The agent's voice on a call: clauses in, synthesised one after another and queued on the transport as
20 ms frames at the call's rate, the first clause playing while the next is synthesised.

It keeps, for each answer, where each clause ends in its audio, so a barge-in can say which words the
caller actually heard (the transport's `played_ms`). When the transport's queue runs dry between two
clauses it may take the next one for a new answer and count from zero again: a count that goes back
below where the clause started is read as such a restart.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Protocol

from shared.voice.resampling import resample_pcm
from shared.voice.synthesiser import Espeak, Synthesiser

log = logging.getLogger(__name__)
DRAIN_SLACK_SECONDS = 2.0  # the transport may start a frame late; a drain waits this much beyond the audio


class Playback(Protocol):
    """The transport's side of playing audio (media.engine.CallSide has these)."""

    async def play(self, audio_b64: str) -> None: ...

    async def stop_audio(self) -> None: ...

    def played_ms(self) -> int: ...


@dataclass
class Clause:
    text: str
    end_ms: float  # where its audio ends, from the start of the answer


class Speaker:
    def __init__(self, side: Playback, synthesiser: Synthesiser, sample_rate: int, frame_bytes: int) -> None:
        self._side, self._synthesiser = side, synthesiser
        self._rate, self._frame = sample_rate, frame_bytes
        self._frame_ms = frame_bytes / (sample_rate * 2 / 1000)
        self._fallback = Espeak()
        self._clauses: asyncio.Queue[str] = asyncio.Queue()
        self._spoken: list[Clause] = []  # the clauses queued since the transport last ran dry
        self._heard_before: list[str] = []  # the answer's clauses played before that
        self._queued_ms = 0.0
        self._base_ms = 0  # the transport's count where `_spoken` began
        self._busy = False  # a clause is being synthesised or queued
        self._idle = asyncio.Event()  # nothing left to synthesise
        self._idle.set()
        self.first_audio_at: float | None = None  # perf_counter of the answer's first frame handed over
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def speaking(self) -> bool:
        """Audio of the current answer is queued, being made, or still playing."""
        return self._busy or not self._clauses.empty() or self._played_ms() < self._queued_ms

    def say(self, clause: str) -> None:
        if clause.strip():
            self._idle.clear()
            self._clauses.put_nowait(clause)

    async def drained(self) -> None:
        """Returns once everything said so far has been played to the caller."""
        await self._idle.wait()
        deadline = time.monotonic() + (self._queued_ms - self._played_ms()) / 1000 + DRAIN_SLACK_SECONDS
        # The transport signals nothing when a frame has played, it only counts them: poll the count.
        while self._played_ms() < self._queued_ms and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    def heard(self) -> str:
        """The words of the current answer the caller has heard: whole clauses, and the share of the
        clause that was playing."""
        played, words, start = self._played_ms(), list(self._heard_before), 0.0
        for clause in self._spoken:
            if played >= clause.end_ms:
                words.append(clause.text)
            elif played > start:
                parts = clause.text.split()
                words.append(" ".join(parts[: int(len(parts) * (played - start) / (clause.end_ms - start))]))
                break
            start = clause.end_ms
        return " ".join(w.strip() for w in words if w.strip())

    async def stop(self) -> str:
        """Barge-in: drops what is queued, stops the transport, and says what was heard."""
        heard = self.heard()
        while not self._clauses.empty():
            self._clauses.get_nowait()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._side.stop_audio()
        self._new_answer()
        self._idle.set()
        self._task = asyncio.get_running_loop().create_task(self._run())
        return heard

    def end_answer(self) -> None:
        """The answer is over (all played): the next clause starts a new one."""
        if not self.speaking:
            self._new_answer()
            self._base_ms = self._side.played_ms()  # a transport that counts on across answers

    def _new_answer(self) -> None:
        self._spoken, self._heard_before, self._queued_ms, self._base_ms = [], [], 0.0, 0
        self._busy, self.first_audio_at = False, None

    def _played_ms(self) -> float:
        played = self._side.played_ms()
        if played < self._base_ms:  # the transport started counting again (see the module's note)
            self._base_ms = 0
        return played - self._base_ms

    def _after_dry_queue(self) -> None:
        if self._spoken and self._played_ms() >= self._queued_ms:
            self._heard_before += [clause.text for clause in self._spoken]
            self._spoken, self._queued_ms, self._base_ms = [], 0.0, self._side.played_ms()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        while True:
            text = await self._clauses.get()
            self._busy = True
            try:
                pcm = await self._synthesise(text)
                self._after_dry_queue()
                frame = self._frame
                for start in range(0, len(pcm), frame):
                    chunk = pcm[start:start + frame]
                    if self.first_audio_at is None:
                        self.first_audio_at = time.perf_counter()
                        log.debug("first audio at %.3f", self.first_audio_at)
                    await self._side.play(base64.b64encode(chunk.ljust(frame, b"\0")).decode())
                self._queued_ms += (len(pcm) + frame - 1) // frame * self._frame_ms
                self._spoken.append(Clause(text, self._queued_ms))
            finally:
                self._busy = False
                if self._clauses.empty():
                    self._idle.set()

    async def _synthesise(self, text: str) -> bytes:
        try:
            speech = await self._synthesiser.synthesise(text)
        except (OSError, RuntimeError, TimeoutError):
            log.warning("the voice failed on a clause: saying it with espeak-ng")
            speech = await self._fallback.synthesise(text)
        return resample_pcm(speech.pcm, speech.rate, self._rate)
