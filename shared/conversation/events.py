"""What goes into a conversation and what comes out of it: typed events, no transport in sight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# -- in ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallerText:
    """What the caller said (recognised speech, with its confidence) or typed."""

    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class CallerStartedSpeaking:
    """The caller began to talk: whatever the agent is saying stops (barge-in)."""


@dataclass(frozen=True)
class CallerStoppedSpeaking:
    pass


@dataclass(frozen=True)
class Dtmf:
    digits: str


@dataclass(frozen=True)
class HangUp:
    pass


InEvent = CallerText | CallerStartedSpeaking | CallerStoppedSpeaking | Dtmf | HangUp

# -- out ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallerSaid:
    """What an engine that hears the caller itself (a realtime model) recognised: a transcript line."""

    text: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of the agent's answer; `clause_end` marks where speech synthesis may start a chunk."""

    text: str
    clause_end: bool = False


@dataclass(frozen=True)
class ToolStarted:
    call_id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    call_id: str
    name: str
    ok: bool
    result: Any = None
    error: str | None = None


@dataclass(frozen=True)
class VerificationChanged:
    verified: bool


@dataclass(frozen=True)
class HandedOff:
    source: str
    target: str


@dataclass(frozen=True)
class TurnEnded:
    """The turn is over: `said` is what the caller was given (all of it, or the part heard before a barge-in)."""

    said: str
    agent: str
    interrupted: bool = False
    citations: list[str] = field(default_factory=list)
    tool_calls: list[Any] = field(default_factory=list)  # ToolCall records, in order
    handoffs: list[str] = field(default_factory=list)  # the agents the caller was handed to
    withdrawn: bool = False  # taken back: the caller had not finished, so the turn left no trace


@dataclass(frozen=True)
class ConversationEnded:
    reason: str


OutEvent = (CallerSaid | TextDelta | ToolStarted | ToolFinished | VerificationChanged | HandedOff | TurnEnded
            | ConversationEnded)
