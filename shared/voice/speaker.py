"""The agent's voice on a call: clauses in, synthesised one after another and queued on the transport as
20 ms frames at the call's rate, the first clause playing while the next is synthesised.

It keeps where each clause starts and ends in the transport's count of the answer (`queued_ms`), so a
barge-in can say which words the caller actually heard (`played_ms`). The transport starts a new answer,
counting from zero, whenever its queue ran dry: the clauses before that were all heard.
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

    def play(self, audio_b64: str) -> None: ...

    async def stop_audio(self) -> None: ...

    async def hold(self) -> None: ...

    async def resume(self) -> None: ...

    def played_ms(self) -> int: ...

    def queued_ms(self) -> int: ...


@dataclass
class Clause:
    text: str
    start_ms: int  # where its audio starts and ends in the transport's answer
    end_ms: int


class Speaker:
    def __init__(self, side: Playback, synthesiser: Synthesiser, sample_rate: int) -> None:
        self._side, self._synthesiser = side, synthesiser
        self._rate = sample_rate
        self._fallback = Espeak()
        self._clauses: asyncio.Queue[str] = asyncio.Queue()
        self._spoken: list[Clause] = []  # the clauses queued since the transport last ran dry
        self._heard_before: list[str] = []  # the answer's clauses played before that
        self._busy = False  # a clause is being synthesised or queued
        self._idle = asyncio.Event()  # nothing left to synthesise
        self._idle.set()
        self.first_audio_at: float | None = None  # perf_counter of the answer's first frame handed over
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def speaking(self) -> bool:
        """Audio of the current answer is queued, being made, or still playing."""
        return self._busy or not self._clauses.empty() or self._side.played_ms() < self._side.queued_ms()

    def say(self, clause: str) -> None:
        if clause.strip():
            self._idle.clear()
            self._clauses.put_nowait(clause)

    async def drained(self) -> None:
        """Returns once everything said so far has been played to the caller."""
        await self._idle.wait()
        left = self._side.queued_ms() - self._side.played_ms()
        deadline = time.monotonic() + left / 1000 + DRAIN_SLACK_SECONDS
        # The transport signals nothing when a frame has played, it only counts them: poll the count.
        while self._side.played_ms() < self._side.queued_ms() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    def heard(self) -> str:
        """The words of the current answer the caller has heard: whole clauses, and the share of the
        clause that was playing."""
        self._after_dry_queue()
        played, words = self._side.played_ms(), list(self._heard_before)
        for clause in self._spoken:
            if played >= clause.end_ms:
                words.append(clause.text)
            elif played > clause.start_ms:
                parts = clause.text.split()
                share = (played - clause.start_ms) / (clause.end_ms - clause.start_ms)
                words.append(" ".join(parts[: int(len(parts) * share)]))
        return " ".join(w.strip() for w in words if w.strip())

    async def stop(self) -> None:
        """Barge-in: drops what is queued and stops the transport (what was heard: `heard`, before this)."""
        while not self._clauses.empty():
            self._clauses.get_nowait()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._side.stop_audio()
        self._new_answer()
        self._idle.set()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def hold(self) -> None:
        """The caller may be starting to speak: the answer stops playing, and goes on after `resume`."""
        if self.speaking:
            await self._side.hold()

    async def resume(self) -> None:
        await self._side.resume()

    def end_answer(self) -> None:
        """The answer is over (all played): the next clause starts a new one."""
        if not self.speaking:
            self._new_answer()

    def _new_answer(self) -> None:
        self._spoken, self._heard_before = [], []
        self._busy, self.first_audio_at = False, None

    def _after_dry_queue(self) -> None:
        """The transport's queue ran dry since the last clause: all of them were heard, and it counts anew."""
        if self._spoken and self._side.queued_ms() < self._spoken[-1].end_ms:
            self._heard_before += [clause.text for clause in self._spoken]
            self._spoken = []

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
                if not pcm:
                    continue
                self._after_dry_queue()
                start_ms = self._side.queued_ms()
                if self.first_audio_at is None:
                    self.first_audio_at = time.perf_counter()
                    log.debug("first audio at %.3f", self.first_audio_at)
                self._side.play(base64.b64encode(pcm).decode())  # the transport slices it into frames
                self._spoken.append(Clause(text, start_ms, self._side.queued_ms()))
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
