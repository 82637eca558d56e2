"""One call over an accepted socket that speaks the ACS media JSON: frames in, engine calls out, and back.

The transport only translates: AudioMetadata sets the call's audio format, AudioData goes to the engine
untouched, DtmfData as digits; what the engine plays goes out paced (media.transport). A frame that is
not of the protocol is counted and skipped: the call goes on. The browser's voice chat speaks the same
JSON and reuses this.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from media import wire
from media.call_socket import CallSocket
from media.engine import AudioFormat, CallContext, VoiceEngine
from media.notices import ENGINE_LOST, notice
from media.transport import AcsCallSide
from shared.conversation.events import ConversationEnded, OutEvent
from shared.conversation.executor import ToolPort

log = logging.getLogger(__name__)
METADATA_WAIT_SECONDS = 5.0  # ACS sends AudioMetadata first; audio before it is taken as 24 kHz
GOODBYE_SECONDS = 10.0  # an ended conversation's last words are played out before the socket closes
HELD_FRAMES = 250  # the caller's frames kept while the engine starts (5 s of 20 ms audio)
OnEvent = Callable[[OutEvent], Awaitable[None]]


@dataclass
class BridgeStats:
    frames_in: int = 0
    malformed: int = 0
    dtmf: int = 0
    frames_out: int = 0
    ended: str = ""


async def _ignore(event: OutEvent) -> None:
    return None


async def bridge(socket: CallSocket, call: CallContext, tools: ToolPort, engine: VoiceEngine,
                 on_event: OnEvent = _ignore) -> BridgeStats:
    """Runs the call until the caller hangs up (the socket closes) or the conversation ends; the engine is
    started once the audio format is known and always closed. `on_event` sees every engine event."""
    stats = BridgeStats()
    ended = asyncio.Event()

    async def emit(event: OutEvent) -> None:
        if isinstance(event, ConversationEnded):
            stats.ended = event.reason
            ended.set()
        await on_event(event)

    frames = _Frames(engine, stats)
    socket.listen(frames.take)
    gone = asyncio.ensure_future(socket.closed())
    try:
        first = await _first_audio(frames, gone)
        if first is None:
            return stats
        if isinstance(first, wire.AudioMetadata):
            call = dataclasses.replace(call, audio=AudioFormat(first.sample_rate, first.frame_bytes))
        side = AcsCallSide(socket.send_text, call.audio, emit)
        try:
            try:
                await engine.start(call, side, tools)
            except Exception as error:  # no engine (the model is unreachable): the caller is told, the call ends
                log.warning("call %s: the voice engine did not start: %s", call.call_id, type(error).__name__)
                stats.ended = "the voice engine could not be started"
                side.play(notice(ENGINE_LOST, call.audio.sample_rate))
                await side.drained(GOODBYE_SECONDS)
                return stats
            frames.started(first)
            ending = asyncio.ensure_future(ended.wait())
            await asyncio.wait({gone, ending}, return_when=asyncio.FIRST_COMPLETED)
            if ending.done():  # the agent said goodbye or the engine is gone: let the last words play, then close
                await side.drained(GOODBYE_SECONDS)
            ending.cancel()
        finally:
            stats.frames_out = side.frames_sent
            frames.stop()
            await engine.close()
            await side.close()
    finally:
        gone.cancel()
        await frames.settled()
        await socket.close(1000)
    return stats


class _Frames:
    """The socket's frames as they are read: parsed, malformed ones counted and skipped; until the engine has
    started, the first audio (or its format) is awaited and later frames held; then each goes to the engine
    in the callback that read it."""

    def __init__(self, engine: VoiceEngine, stats: BridgeStats) -> None:
        self._engine, self._stats = engine, stats
        self._first: asyncio.Future[wire.AudioMetadata | wire.AudioData] = asyncio.get_running_loop().create_future()
        self._held: list[wire.AudioData | wire.DtmfData] = []
        self._live = self._stopped = False
        self._pressing: asyncio.Task[None] | None = None  # the latest digits' engine call

    def take(self, text: str | None) -> None:
        if self._stopped:
            return
        try:
            self._take(self._parse(text))
        except Exception:  # a fault of ours, not the caller's: the frame is lost, the call goes on
            log.exception("a media frame could not be handled")

    def _take(self, frame: wire.Frame | None) -> None:
        if isinstance(frame, wire.AudioMetadata):
            if not self._first.done():
                self._first.set_result(frame)
            return
        if frame is None:
            return
        if isinstance(frame, wire.AudioData):
            self._stats.frames_in += 1
        else:
            self._stats.dtmf += 1
        if self._live:
            self._dispatch(frame)
        elif isinstance(frame, wire.AudioData) and not self._first.done():
            self._first.set_result(frame)
        elif len(self._held) < HELD_FRAMES:
            self._held.append(frame)

    def _dispatch(self, frame: wire.AudioData | wire.DtmfData) -> None:
        if isinstance(frame, wire.AudioData):
            if frame.data:
                self._engine.caller_audio(frame.data)
            return
        previous, digits = self._pressing, frame.digits

        async def press() -> None:  # after the digits before, as the caller pressed them
            if previous is not None:
                with contextlib.suppress(Exception):
                    await previous
            await self._engine.dtmf(digits)

        self._pressing = asyncio.ensure_future(press())

    def _parse(self, text: str | None) -> wire.Frame | None:
        stats = self._stats
        try:
            if text is None:
                raise wire.MalformedFrameError("not a text frame")  # ACS sends text frames only
            return wire.parse(text)
        except wire.MalformedFrameError as error:
            stats.malformed += 1
            if stats.malformed in (1, 10, 100) or stats.malformed % 1000 == 0:
                log.info("%d malformed media frames skipped (latest: %s)", stats.malformed, error)
            return None

    async def first(self) -> wire.AudioMetadata | wire.AudioData:
        return await self._first

    def started(self, first: wire.AudioMetadata | wire.AudioData) -> None:
        """The engine takes the caller's frames from now on: first what came while it started, in order."""
        held, self._held = self._held, []
        for frame in [first, *held] if isinstance(first, wire.AudioData) else held:
            self._dispatch(frame)
        self._live = True

    def stop(self) -> None:
        self._stopped, self._live = True, False

    async def settled(self) -> None:
        """The digits' engine calls are done (they may still be running as the call ends)."""
        if self._pressing is not None:
            self._pressing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pressing


async def _first_audio(frames: _Frames, gone: asyncio.Future[None]) -> wire.AudioMetadata | wire.AudioData | None:
    """The AudioMetadata ACS sends first (or, without one, the first audio frame); None if the caller left."""
    first = asyncio.ensure_future(frames.first())
    done, _ = await asyncio.wait({first, gone}, timeout=METADATA_WAIT_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    if first in done:
        return first.result()
    first.cancel()
    return None if gone in done else wire.AudioData("")
