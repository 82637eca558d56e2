"""One call over an accepted WebSocket that speaks the ACS media JSON: frames in, engine calls out, and back.

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

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from media import wire
from media.engine import AudioFormat, CallContext, VoiceEngine
from media.transport import AcsCallSide
from shared.conversation.events import ConversationEnded, OutEvent
from shared.conversation.executor import ToolPort

log = logging.getLogger(__name__)
METADATA_WAIT_SECONDS = 5.0  # ACS sends AudioMetadata first; audio before it is taken as 24 kHz
GOODBYE_SECONDS = 10.0  # an ended conversation's last words are played out before the socket closes
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


async def bridge(websocket: WebSocket, call: CallContext, tools: ToolPort, engine: VoiceEngine,
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

    frame = await _first_audio(websocket, stats)
    if frame is None:
        return stats
    if isinstance(frame, wire.AudioMetadata):
        call = dataclasses.replace(call, audio=AudioFormat(frame.sample_rate, frame.frame_bytes))
    side = AcsCallSide(websocket.send_text, call.audio, emit)
    try:
        await engine.start(call, side, tools)
        if isinstance(frame, wire.AudioData) and frame.data:
            await engine.caller_audio(frame.data)
        receiving = asyncio.ensure_future(_receive(websocket, engine, stats))
        ending = asyncio.ensure_future(ended.wait())
        await asyncio.wait({receiving, ending}, return_when=asyncio.FIRST_COMPLETED)
        if ending.done():  # the agent said goodbye or the engine is gone: let the last words play, then close
            await side.drained(GOODBYE_SECONDS)
        for task in (receiving, ending):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await task
    finally:
        stats.frames_out = side.frames_sent
        await engine.close()
        await side.close()
        if websocket.client_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close(1000)
    return stats


async def _first_audio(websocket: WebSocket, stats: BridgeStats) -> wire.AudioMetadata | wire.AudioData | None:
    """The AudioMetadata ACS sends first (or, without one, the first audio frame); None if the caller left."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(METADATA_WAIT_SECONDS):
            while True:
                frame = await _next(websocket, stats)
                if frame is None:
                    return None
                if isinstance(frame, wire.AudioMetadata | wire.AudioData):
                    return frame
    return wire.AudioData("")


async def _next(websocket: WebSocket, stats: BridgeStats) -> wire.Frame | None:
    """The next well-formed frame (malformed ones are counted and skipped); None once the socket is closed."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        if text is None:
            stats.malformed += 1  # ACS sends text frames only
            continue
        try:
            return wire.parse(text)
        except wire.MalformedFrameError as error:
            stats.malformed += 1
            if stats.malformed in (1, 10, 100) or stats.malformed % 1000 == 0:
                log.info("%d malformed media frames skipped (latest: %s)", stats.malformed, error)


async def _receive(websocket: WebSocket, engine: VoiceEngine, stats: BridgeStats) -> None:
    while True:
        frame = await _next(websocket, stats)
        if frame is None:
            return
        if isinstance(frame, wire.AudioData):
            stats.frames_in += 1
            await engine.caller_audio(frame.data)
        elif isinstance(frame, wire.DtmfData):
            stats.dtmf += 1
            await engine.dtmf(frame.digits)
