"""What a voice engine is to the media path: the caller's audio in, the agent's audio and events out.

Two engines sit behind this: the realtime one (OpenAI / Azure OpenAI Realtime, Azure AI Voice Live),
which passes the call's base64 PCM through untouched, and the offline cascade (VAD, speech to text,
the conversation runtime's brain, text to speech). Transports (the ACS media WebSocket, the browser's)
turn their frames into these calls and hold no conversation logic; engines know no transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.conversation.events import OutEvent
from shared.conversation.executor import ToolPort


@dataclass(frozen=True)
class AudioFormat:
    """PCM16 little-endian mono, as the transport announced it (ACS AudioMetadata: read, never assume)."""

    sample_rate: int = 24000
    frame_bytes: int = 960  # one 20 ms frame

    @property
    def bytes_per_ms(self) -> float:
        return self.sample_rate * 2 / 1000


@dataclass(frozen=True)
class CallContext:
    """Who is on the line and under which session the engine acts (the function app set both)."""

    call_id: str
    session_id: str
    customer_id: str
    first_name: str
    agent: str  # the agent the caller starts with
    audio: AudioFormat
    # What the agents' instruction templates are filled with: {"company": name, "customer": profile}.
    facts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    voice: str = ""  # the voice the caller chose (the web UI's voice chat); empty: the settings' or the agent's


class CallSide(Protocol):
    """The transport's half of a call, as an engine sees it.

    `play` queues agent audio, without waiting; the transport paces it out in real time (20 ms frames),
    so `played_ms` counts what the caller has actually heard, not what the engine produced. `stop_audio`
    drops what is queued (ACS StopAudio) and is only for a barge-in, never between chunks of one answer.
    An answer is audio played without a pause: once all that was queued has been played, the next `play`
    begins a new one."""

    def play(self, audio_b64: str) -> None: ...

    async def stop_audio(self) -> None: ...

    async def hold(self) -> None:
        """The caller may be starting to speak: no more audio plays (what ACS holds is dropped too) until
        `resume` (it was a noise) or `stop_audio` (a barge-in)."""
        ...

    async def resume(self) -> None: ...

    def played_ms(self) -> int:
        """Milliseconds of the current answer played so far (reset by `stop_audio` and by a new answer)."""
        ...

    def queued_ms(self) -> int:
        """Milliseconds of the current answer handed to `play` so far, played or waiting (same resets): where
        the next chunk will start, so an engine knows which of its items the caller was hearing."""
        ...

    async def emit(self, event: OutEvent) -> None:
        """Transcript, tool, handoff and verification events: to the call's orchestration and watchers."""
        ...


class VoiceEngine(Protocol):
    async def start(self, call: CallContext, side: CallSide, tools: ToolPort) -> None:
        """Opens the engine for one call; `tools` runs the agents' tools through the function app."""
        ...

    def caller_audio(self, audio_b64: str) -> None:
        """One frame of the caller's audio, base64 PCM16 at `call.audio`'s rate. Called as the frame is read, and
        never waits: what takes time is queued."""
        ...

    async def dtmf(self, digits: str) -> None: ...

    async def close(self) -> None:
        """The caller hung up (or the call is being drained): end the turn in progress, release the engine."""
        ...
