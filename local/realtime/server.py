"""A scripted Realtime server on loopback: the GA Realtime event protocol over WebSocket, answers a test scripts.

As tests/scripted_llm.py is for chat, this is for the realtime engine. It keeps a conversation per
connection (items, the last session.update, truncations), detects the caller's speech by the energy of
the appended PCM (server VAD: speech_started, then speech_stopped, committed and the transcript after
200 ms of silence, and a response), answers each response with scripted audio (a 24 kHz tone: real
audio, so players and VADs treat it as speech), its transcript and function calls, and can be told to
drop its connections, refuse new ones or stall its answers.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

RATE = 24000
SPEECH_LEVEL = 1000  # a frame whose loudest sample passes this is speech
END_OF_SPEECH_FRAMES = 10  # 200 ms of silence end a caller turn
DELTA_MS = 100  # audio per response.output_audio.delta
MS_PER_WORD = 300  # how long a scripted sentence speaks


@dataclass(frozen=True)
class Say:
    text: str
    ms: int | None = None  # default: MS_PER_WORD a word


@dataclass(frozen=True)
class Call:
    name: str
    arguments: dict[str, Any]


Step = Say | Call
FILLER = Say("One moment please.")


@dataclass
class Context:
    """What a script sees when asked for a response."""

    turn: int  # caller turns so far
    items: list[dict[str, Any]]  # the connection's conversation
    session: dict[str, Any]
    outputs: list[dict[str, Any]]  # function_call_output items since the last response


Script = Callable[[Context], list[Step]]


def tone(ms: int, level: int = 3000) -> bytes:
    samples = int(RATE * ms / 1000)
    t = np.arange(samples) / RATE
    return (np.sin(2 * math.pi * 440 * t) * level).astype("<i2").tobytes()


def loud(audio_b64: str) -> bool:
    try:
        pcm = np.frombuffer(base64.b64decode(audio_b64), "<i2")
    except (ValueError, TypeError):
        return False
    return bool(pcm.size) and int(np.abs(pcm.astype(np.int32)).max()) > SPEECH_LEVEL


@dataclass
class Connection:
    """One client connection: its own conversation, as a new Realtime session starts empty."""

    socket: ServerConnection
    path: str
    headers: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    received: list[str] = field(default_factory=list)  # event types, audio appends included
    truncations: list[dict[str, Any]] = field(default_factory=list)
    cancels: int = 0
    outputs: list[dict[str, Any]] = field(default_factory=list)
    active: asyncio.Task[None] | None = None
    speaking: bool = False
    quiet_frames: int = 0
    turn: int = 0

    @property
    def session(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for update in self.sessions:
            merged.update(update)
        return merged


class ScriptedRealtime:
    def __init__(self, script: Script, hears: Callable[[int], str] = lambda turn: f"caller turn {turn}") -> None:
        self.script, self.hears = script, hears
        self.connections: list[Connection] = []
        self.stall_seconds = 0.0  # each response waits this long before its first event
        self.refusing = False  # new connections are turned away (503)
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- what tests steer -------------------------------------------------------------------------

    def drop(self) -> None:
        """Breaks every open connection, as a network failure would."""
        assert self._loop is not None
        for connection in self.connections:
            self._loop.call_soon_threadsafe(connection.socket.transport.abort)

    # -- the protocol -----------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    async def _send(self, connection: Connection, event: dict[str, Any]) -> None:
        event.setdefault("event_id", self._id("event"))
        await connection.socket.send(json.dumps(event))

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.refusing:
            return connection.respond(503, "refusing connections\n")
        if not request.path.split("?")[0].endswith("/realtime"):
            return connection.respond(404, "no such path\n")
        return None

    async def _serve(self, socket: ServerConnection) -> None:
        request = socket.request
        connection = Connection(socket, request.path if request else "",
                                {k.lower(): v for k, v in (request.headers.raw_items() if request else [])})
        self.connections.append(connection)
        await self._send(connection, {"type": "session.created", "session": {"id": self._id("sess"),
                                                                              "type": "realtime"}})
        try:
            async for raw in socket:
                try:
                    event = json.loads(raw)
                except json.JSONDecodeError:
                    await self._error(connection, "invalid_json", "not JSON")
                    continue
                await self._handle(connection, event)
        except ConnectionClosed:
            pass
        finally:
            if connection.active:
                connection.active.cancel()

    async def _error(self, connection: Connection, code: str, message: str) -> None:
        await self._send(connection, {"type": "error", "error": {"type": "invalid_request_error", "code": code,
                                                                 "message": message}})

    async def _handle(self, connection: Connection, event: dict[str, Any]) -> None:
        kind = event.get("type", "")
        connection.received.append(kind)
        if kind == "input_audio_buffer.append":
            await self._audio(connection, event.get("audio", ""))
        elif kind == "session.update":
            connection.sessions.append(event.get("session", {}))
            await self._send(connection, {"type": "session.updated", "session": connection.session})
        elif kind == "conversation.item.create":
            item = {"id": self._id("item"), **event.get("item", {})}
            connection.items.append(item)
            if item.get("type") == "function_call_output":
                connection.outputs.append(item)
            await self._send(connection, {"type": "conversation.item.added", "item": item})
        elif kind == "conversation.item.truncate":
            connection.truncations.append(event)
            await self._send(connection, {"type": "conversation.item.truncated", "item_id": event.get("item_id"),
                                          "content_index": 0, "audio_end_ms": event.get("audio_end_ms")})
        elif kind == "response.cancel":
            connection.cancels += 1
            if connection.active and not connection.active.done():
                connection.active.cancel()
            else:
                await self._error(connection, "response_cancel_not_active", "no active response")
        elif kind == "response.create":
            self._respond(connection, event.get("response") or {})
        else:
            await self._error(connection, "unknown_event", f"unknown event type {kind!r}")

    async def _audio(self, connection: Connection, audio: str) -> None:
        if loud(audio):
            connection.quiet_frames = 0
            if not connection.speaking:
                connection.speaking = True
                if connection.active and not connection.active.done():  # interrupt_response
                    connection.active.cancel()
                await self._send(connection, {"type": "input_audio_buffer.speech_started", "audio_start_ms": 0,
                                              "item_id": self._id("item")})
            return
        if connection.speaking:
            connection.quiet_frames += 1
            if connection.quiet_frames >= END_OF_SPEECH_FRAMES:
                connection.speaking = False
                connection.turn += 1
                item_id = self._id("item")
                text = self.hears(connection.turn)
                await self._send(connection, {"type": "input_audio_buffer.speech_stopped", "item_id": item_id})
                await self._send(connection, {"type": "input_audio_buffer.committed", "item_id": item_id})
                connection.items.append({"id": item_id, "type": "message", "role": "user",
                                         "content": [{"type": "input_audio", "transcript": text}]})
                await self._send(connection, {"type": "conversation.item.input_audio_transcription.completed",
                                              "item_id": item_id, "content_index": 0, "transcript": text})
                self._respond(connection, {})

    def _respond(self, connection: Connection, options: dict[str, Any]) -> None:
        instructions = str(options.get("instructions") or "")
        if options.get("conversation") == "none":
            steps: list[Step] = [FILLER]
        elif instructions.startswith("Say exactly this, nothing else: "):
            steps = [Say(instructions.split(": ", 1)[1])]
        else:
            steps = self.script(Context(connection.turn, connection.items, connection.session,
                                        connection.outputs))
            connection.outputs = []
        task = asyncio.ensure_future(self._answer(connection, steps, options))
        if options.get("conversation") != "none":
            connection.active = task

    async def _answer(self, connection: Connection, steps: list[Step], options: dict[str, Any]) -> None:
        response_id = self._id("resp")
        body = {"id": response_id, "object": "realtime.response", "status": "in_progress", "output": [],
                "metadata": options.get("metadata"), "conversation_id": None if options.get("conversation") == "none"
                else "conv"}
        output: list[dict[str, Any]] = []
        try:
            await self._send(connection, {"type": "response.created", "response": body})
            if self.stall_seconds:
                await asyncio.sleep(self.stall_seconds)
            for index, step in enumerate(steps):
                item_id = self._id("item")
                base = {"response_id": response_id, "item_id": item_id, "output_index": index}
                if isinstance(step, Say):
                    item = {"id": item_id, "type": "message", "role": "assistant", "status": "in_progress",
                            "content": [{"type": "output_audio", "transcript": step.text}]}
                    output.append(item)
                    await self._send(connection, {"type": "response.output_item.added", "response_id": response_id,
                                                  "output_index": index, "item": item})
                    ms = step.ms or MS_PER_WORD * max(1, len(step.text.split()))
                    words = step.text.split(" ")
                    deltas = max(1, math.ceil(ms / DELTA_MS))
                    for n in range(deltas):
                        audio = tone(min(DELTA_MS, ms - n * DELTA_MS))
                        await self._send(connection, {"type": "response.output_audio.delta", **base,
                                                      "content_index": 0, "delta": base64.b64encode(audio).decode()})
                        share = words[n * len(words) // deltas:(n + 1) * len(words) // deltas]
                        if share:
                            await self._send(connection, {"type": "response.output_audio_transcript.delta", **base,
                                                          "content_index": 0, "delta": " ".join(share) + " "})
                        await asyncio.sleep(0)
                    await self._send(connection, {"type": "response.output_audio_transcript.done", **base,
                                                  "content_index": 0, "transcript": step.text})
                    await self._send(connection, {"type": "response.output_audio.done", **base, "content_index": 0})
                else:
                    call_id = self._id("call")
                    arguments = json.dumps(step.arguments)
                    item = {"id": item_id, "type": "function_call", "call_id": call_id, "name": step.name,
                            "arguments": arguments, "status": "completed"}
                    output.append(item)
                    await self._send(connection, {"type": "response.output_item.added", "response_id": response_id,
                                                  "output_index": index, "item": item})
                    await self._send(connection, {"type": "response.function_call_arguments.done", **base,
                                                  "call_id": call_id, "name": step.name, "arguments": arguments})
                if options.get("conversation") != "none":
                    connection.items.append(item)
                await self._send(connection, {"type": "response.output_item.done", "response_id": response_id,
                                              "output_index": index, "item": item})
            await self._send(connection, {"type": "response.done",
                                          "response": {**body, "status": "completed", "output": output}})
        except asyncio.CancelledError:
            with contextlib.suppress(ConnectionClosed):
                await self._send(connection, {"type": "response.done",
                                              "response": {**body, "status": "cancelled", "output": output}})
        except ConnectionClosed:
            pass

    # -- serving ----------------------------------------------------------------------------------

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Serves in a thread of its own; yields the base URL the openai SDK takes (http://127.0.0.1:port/v1)."""
        started = threading.Event()
        stop: asyncio.Future[None] | None = None
        port: list[int] = []

        async def main() -> None:
            nonlocal stop
            self._loop = asyncio.get_running_loop()
            stop = self._loop.create_future()
            async with serve(self._serve, "127.0.0.1", 0, process_request=self._check, max_size=None,
                             compression=None) as server:
                port.append(server.sockets[0].getsockname()[1])
                started.set()
                await stop

        thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
        thread.start()
        started.wait(10)
        try:
            yield f"http://127.0.0.1:{port[0]}/v1"
        finally:
            assert self._loop is not None and stop is not None
            self._loop.call_soon_threadsafe(stop.set_result, None)
            thread.join(5)

    def wait_for(self, predicate: Callable[[], Any], timeout_seconds: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if value := predicate():
                return value
            time.sleep(0.02)
        raise AssertionError(f"not within {timeout_seconds} s")

