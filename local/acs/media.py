"""The simulator's media stream: what ACS does with a call's media WebSocket once it answered with
bidirectional streaming.

It opens the transport URL, sends AudioMetadata, then one AudioData frame every 20 ms in real time:
the caller's audio when something is said (`say`), silent frames otherwise, and DtmfData on `press`.
It records what comes back, each with its arrival time: agent audio frames and StopAudio. Every
method may be called from any thread (tests, the phone simulator).

    stream = simulator.media_for(connection_id)   # once the call is connected
    stream.say(speech(1500))                      # 1.5 s of caller audio, PCM16LE mono at stream.rate
    stream.wait_for(lambda: stream.agent_frames)  # the agent answers
    stream.hang_up()
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

FORMATS = {"pcm24kmono": (24000, 960), "pcm16kmono": (16000, 640)}  # audioFormat -> (rate, bytes per 20 ms)


def speech(ms: int, rate: int = 24000, level: int = 4000) -> bytes:
    """Caller audio that any VAD takes for speech: a 220 Hz tone, PCM16LE mono."""
    t = np.arange(int(rate * ms / 1000)) / rate
    return (np.sin(2 * math.pi * 220 * t) * level).astype("<i2").tobytes()


def loud(frame_b64: str, level: int = 500) -> bool:
    pcm = np.frombuffer(base64.b64decode(frame_b64), "<i2")
    return bool(pcm.size) and int(np.abs(pcm.astype(np.int32)).max()) > level


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() on arrival
    kind: str  # "AudioData", "StopAudio" or what else came
    data: str = ""  # base64 audio


class MediaStream:
    def __init__(self, url: str, audio_format: str = "pcm24KMono", participant: str = "4:+15555550100") -> None:
        self.url = url
        self.rate, self.frame_bytes = FORMATS.get(audio_format.lower(), FORMATS["pcm24kmono"])
        self.participant = participant
        self.received: list[Received] = []
        self.close_code: int | None = None  # set once the socket is closed, by either side
        self.refused: int | None = None  # the HTTP status when the media path refused the socket
        self.frames_sent = 0
        self.speech_sent: list[float] = []  # when each frame of the caller's audio went out (time.monotonic())
        self._outgoing: deque[str] = deque()  # caller frames waiting for their 20 ms slot
        self._extra: deque[str | bytes | list[str]] = deque()  # DTMF and raw frames, sent between audio frames
        self._socket: ClientConnection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._hang_up = threading.Event()

    # -- the caller ---------------------------------------------------------------------------

    def say(self, pcm: bytes) -> None:
        """Queues caller audio (PCM16LE mono at `rate`), sent in 20 ms frames after what is already queued."""
        for start in range(0, len(pcm), self.frame_bytes):
            frame = pcm[start:start + self.frame_bytes].ljust(self.frame_bytes, b"\0")
            self._outgoing.append(base64.b64encode(frame).decode())

    def press(self, digits: str) -> None:
        self._extra.append(json.dumps({"kind": "DtmfData", "dtmfData": {"data": digits}}))

    def send_raw(self, message: str | bytes | list[str]) -> None:
        """Any frame (tests of malformed input): text, binary, or a text message in fragments."""
        self._extra.append(message)

    def hang_up(self) -> None:
        self._hang_up.set()

    # -- what came back -----------------------------------------------------------------------

    @property
    def agent_frames(self) -> list[Received]:
        return [r for r in self.received if r.kind == "AudioData"]

    @property
    def stops(self) -> list[Received]:
        return [r for r in self.received if r.kind == "StopAudio"]

    def agent_audio_ms(self, since: float = 0.0) -> float:
        return sum(len(base64.b64decode(r.data)) for r in self.agent_frames if r.at >= since) / (self.rate * 2) * 1000

    def wait_for(self, predicate: Callable[[], Any], timeout_seconds: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if value := predicate():
                return value
            time.sleep(0.01)
        raise AssertionError(f"not within {timeout_seconds} s")

    @property
    def idle(self) -> bool:
        """Nothing of the caller's is waiting to be sent."""
        return not self._outgoing and not self._extra

    # -- ACS's side ---------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Runs the stream on `loop` (the simulator's)."""
        self._loop = loop
        loop.call_soon_threadsafe(lambda: setattr(self, "_task", loop.create_task(self._run())))

    async def _run(self) -> None:
        try:
            async with connect(self.url, max_size=None, compression=None, open_timeout=15) as socket:
                self._socket = socket
                await socket.send(json.dumps({"kind": "AudioMetadata", "audioMetadata": {
                    "subscriptionId": "simulated", "encoding": "PCM", "sampleRate": self.rate, "channels": 1,
                    "length": self.frame_bytes}}))
                receiving = asyncio.create_task(self._receive(socket))
                try:
                    await self._send_frames(socket)
                finally:
                    receiving.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await receiving
                self.close_code = socket.close_code or 1000
        except InvalidStatus as refused:
            self.refused = refused.response.status_code
            self.close_code = 1008
        except (ConnectionClosed, OSError) as closed:
            self.close_code = getattr(getattr(closed, "rcvd", None), "code", None) or 1006

    async def _send_frames(self, socket: ClientConnection) -> None:
        silent = base64.b64encode(bytes(self.frame_bytes)).decode()
        due = time.monotonic()
        while not self._hang_up.is_set():
            while self._extra:
                await socket.send(self._extra.popleft())
            data = self._outgoing.popleft() if self._outgoing else None
            await socket.send('{"kind":"AudioData","audioData":{"timestamp":"' + _now() + '","participantRawID":"'
                              + self.participant + '","data":"' + (data or silent) + '","silent":'
                              + ("false" if data else "true") + "}}")
            self.frames_sent += 1
            if data:
                self.speech_sent.append(time.monotonic())
            due += 0.02
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        await socket.close(1000)

    async def _receive(self, socket: ClientConnection) -> None:
        try:
            async for message in socket:
                at = time.monotonic()
                try:
                    body = json.loads(message)
                except (TypeError, json.JSONDecodeError):
                    self.received.append(Received(at, "unreadable"))
                    continue
                kind = body.get("kind") or body.get("Kind") or "unknown"
                audio = body.get("audioData") or body.get("AudioData") or {}
                self.received.append(Received(at, kind, (audio.get("data") or audio.get("Data") or "")
                                              if isinstance(audio, dict) else ""))
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else 1006
            self._hang_up.set()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"
