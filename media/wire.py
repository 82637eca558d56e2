"""The ACS media WebSocket's wire format, in one place: the JSON text frames ACS sends and takes.

In: AudioMetadata (first; its `sampleRate` and `length` say what the audio is: read, never assumed),
AudioData (base64 PCM16LE mono, `silent` when nothing is said) and DtmfData. Out: AudioData and
StopAudio. ACS writes camelCase and accepts PascalCase too, so both are read. The base64 audio is
never decoded here: it passes through to the engine as the string it came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

MAX_FRAME_CHARS = 64 * 1024  # a 20 ms frame is ~1.3 KB of base64: anything this big is not ACS audio
STOP_AUDIO = '{"kind":"StopAudio","audioData":null,"stopAudio":{}}'


class MalformedFrameError(ValueError):
    """Not a frame of this protocol: the caller counts and skips it, the call goes on."""


@dataclass(frozen=True, slots=True)
class AudioMetadata:
    sample_rate: int
    frame_bytes: int  # bytes per 20 ms frame (`length`)
    encoding: str = "PCM"
    channels: int = 1


@dataclass(frozen=True, slots=True)
class AudioData:
    data: str  # base64, untouched
    silent: bool = False
    participant: str = ""


@dataclass(frozen=True, slots=True)
class DtmfData:
    digits: str


Frame = AudioMetadata | AudioData | DtmfData
DTMF = frozenset("0123456789*#ABCD")


def _field(body: dict[str, Any], name: str) -> Any:
    """`name` in camelCase, or PascalCase."""
    if name in body:
        return body[name]
    return body.get(name[0].upper() + name[1:])


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = _field(body, name)
    if not isinstance(value, dict):
        raise MalformedFrameError(f"{name} is not an object")
    return value


def parse(text: str | bytes) -> Frame:
    """One frame from ACS; raises MalformedFrameError for anything else (never another exception)."""
    if len(text) > MAX_FRAME_CHARS:
        raise MalformedFrameError("frame too large")
    try:
        body = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise MalformedFrameError("not JSON") from error
    if not isinstance(body, dict):
        raise MalformedFrameError("not a JSON object")
    kind = _field(body, "kind")
    if kind == "AudioData":
        audio = _object(body, "audioData")
        data = _field(audio, "data")
        if not isinstance(data, str) or len(data) % 4:
            raise MalformedFrameError("audioData.data is not base64")
        return AudioData(data, _field(audio, "silent") is True, str(_field(audio, "participantRawID") or ""))
    if kind == "AudioMetadata":
        meta = _object(body, "audioMetadata")
        rate, length = _field(meta, "sampleRate"), _field(meta, "length")
        if not (isinstance(rate, int) and 8000 <= rate <= 48000 and isinstance(length, int) and 0 < length <= 8192
                and length % 2 == 0):
            raise MalformedFrameError("audioMetadata needs sampleRate 8000-48000 and an even length")
        channels = _field(meta, "channels") or 1
        if channels != 1:
            raise MalformedFrameError("only mono audio is streamed")
        return AudioMetadata(rate, length, str(_field(meta, "encoding") or "PCM"), 1)
    if kind == "DtmfData":
        digits = _field(_object(body, "dtmfData"), "data")
        if not isinstance(digits, str) or not digits or len(digits) > 32 or not set(digits) <= DTMF:
            raise MalformedFrameError("dtmfData.data is not DTMF digits")
        return DtmfData(digits)
    raise MalformedFrameError(f"unknown kind {str(kind)[:32]!r}")


def audio_out(data_b64: str) -> str:
    """Agent audio for ACS to play; built by concatenation (base64 needs no JSON escaping)."""
    return '{"kind":"AudioData","audioData":{"data":"' + data_b64 + '"}}'
