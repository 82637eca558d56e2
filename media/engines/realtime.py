"""The realtime engine: one Realtime session (OpenAI, Azure OpenAI or Azure AI Voice Live) per call.

The caller's base64 PCM goes to the model as it came and the model's comes back to the transport as
it came: nothing is decoded. The conversation runtime does the rest: its tool executor runs the
agents' tools through the port (gating by agent, handoffs, proposals), its state keeps the transcript
and the active agent, and its events go out through the call side.

What the caller hears decides: a barge-in truncates the interrupted item at the milliseconds actually
played; a tool call of a cancelled response never carries out a side effect (a call with
`confirmed=true` waits until its response was heard in full, and a cancelled response's read-backs are
dropped); a wait longer than a second is bridged by a short filler. A dropped model connection is
reopened with the conversation restored, or the call ends with its transcript.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson

from media.engine import CallContext, CallSide
from media.engines import realtime_protocol as protocol
from media.notices import ENGINE_LOST, notice
from media.settings import MediaSettings
from shared.agents.definitions import Agent, agents
from shared.conversation.events import (
    CallerSaid,
    ConversationEnded,
    OutEvent,
    TextDelta,
    TurnEnded,
)
from shared.conversation.executor import ALWAYS, ToolExecutor, ToolPort
from shared.conversation.state import ConversationState, ToolCall

log = logging.getLogger(__name__)
FILLER_AFTER_SECONDS = 1.0  # the agent holds the turn and has been silent this long: say a filler
RECONNECT_SECONDS = 2.0  # a dropped model connection comes back within this, or the call ends
WATCH_SECONDS = 0.1
CLOSE_SECONDS = 2.0


class Connection(Protocol):
    """What the engine uses of a Realtime connection."""

    def send(self, data: str) -> None:
        """Queues one event (JSON text) without waiting; raises once the connection is gone."""
        ...

    async def recv_bytes(self) -> bytes: ...

    def at_once(self, take: Callable[[bytes], bool]) -> None:
        """Each event read while none waits for `recv_bytes` is first offered to `take`, in the callback that
        read it; what it declines (returns False) is queued for `recv_bytes`, in order."""
        ...

    async def close(self) -> None: ...


Connector = Callable[[], Awaitable[Connection]]


ENTRA_SCOPES = {"azure_openai": "https://cognitiveservices.azure.com/.default",
                "voice_live": "https://ai.azure.com/.default"}


def connector(settings: MediaSettings) -> Connector:
    """Opens a Realtime connection through the openai SDK, for the configured provider: OpenAI with its bearer
    key; Azure OpenAI (GA /openai/v1) and Voice Live with an `api-key`, or without one with the managed
    identity's Entra token as the bearer."""
    from openai import AsyncOpenAI, omit

    provider, key = settings.realtime_provider, settings.realtime_api_key
    endpoint, query = settings.realtime_endpoint.rstrip("/"), {}
    if provider == "voice_live":
        endpoint, query = f"{endpoint}/voice-live", {"api-version": settings.realtime_api_version}
    if provider == "openai":
        client = AsyncOpenAI(api_key=key or "unused", base_url=endpoint)
    elif key:
        client = AsyncOpenAI(api_key="unused", base_url=endpoint, default_headers={"api-key": key,
                                                                                 "Authorization": omit})
    else:
        client = AsyncOpenAI(api_key=_entra_token(ENTRA_SCOPES[provider]), base_url=endpoint)

    async def connect() -> Connection:
        if settings.realtime_socket == "picows":
            from media.engines import realtime_socket

            url = httpx.URL(f"{endpoint}/realtime").copy_merge_params({"model": settings.realtime_model, **query})
            url = url.copy_with(scheme={"http": "ws", "https": "wss"}.get(url.scheme, url.scheme))
            return await realtime_socket.connect(str(url), await _auth_headers(client))
        return SdkConnection(await client.realtime.connect(model=settings.realtime_model, extra_query=query).enter())

    return connect


class SdkConnection:
    """The SDK's own connection (REALTIME_SOCKET=sdk) as a `Connection`: its sends are awaited by a writer
    task, in order, so that the engine never waits on one."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._failed: BaseException | None = None
        self._writer = asyncio.ensure_future(self._write())

    def send(self, data: str) -> None:
        if self._failed is not None:
            raise ConnectionError("the model's socket is closed") from self._failed
        self._outbox.put_nowait(data)

    async def _write(self) -> None:
        try:
            while True:
                await self._inner.send_raw(await self._outbox.get())
        except Exception as error:  # the receiving side sees the drop and reconnects
            self._failed = error

    async def recv_bytes(self) -> bytes:
        return await self._inner.recv_bytes()

    def at_once(self, take: Callable[[bytes], bool]) -> None:
        """The SDK reads in a task of its own: every event goes through `recv_bytes`."""

    async def close(self) -> None:
        self._writer.cancel()
        await self._inner.close()


async def _auth_headers(client: Any) -> dict[str, str]:
    """The headers the SDK would send: its auth (a fresh Entra token when the key is a provider) and defaults."""
    await client._refresh_api_key()
    return {k: v for k, v in {**client.auth_headers, **client.default_headers}.items()
            if isinstance(v, str) and k.lower() in ("authorization", "api-key")}


def _entra_token(scope: str) -> Callable[[], Awaitable[str]]:
    """The managed identity's token for `scope`, fetched when a connection opens (the credential caches it)."""
    from azure.identity.aio import get_bearer_token_provider

    from shared.credentials import managed_identity

    return get_bearer_token_provider(managed_identity(), scope)


_schemas: list[dict[str, Any]] = []


def tool_schemas() -> dict[str, dict[str, Any]]:
    """Every tool's Realtime definition, by name (from the same registry the function app runs)."""
    if not _schemas:
        from shared.tools.runner import all_tools

        _schemas.extend(protocol.tool_definitions([spec.schema() for spec in all_tools().values()]))
    return {s["name"]: s for s in _schemas}


@dataclass
class Response:
    id: str
    filler: bool = False
    cancelled: bool = False
    done: bool = False
    calls: list[dict[str, Any]] = field(default_factory=list)  # function calls: call_id, name, arguments
    text: list[str] = field(default_factory=list)
    heard: str | None = None  # what the caller heard of `text` before a barge-in
    executor: ToolExecutor | None = None
    reported: bool = False  # its TurnEnded went out


@dataclass
class Item:
    """Agent audio of one conversation item, placed on the transport's timeline of the current answer."""

    id: str
    response: Response
    start_ms: int
    length_ms: int = 0


class RealtimeEngine:
    def __init__(self, settings: MediaSettings, connect: Connector, *, agent_set: dict[str, Agent] | None = None,
                 filler_after_seconds: float = FILLER_AFTER_SECONDS,
                 reconnect_seconds: float = RECONNECT_SECONDS) -> None:
        self._settings, self._connect = settings, connect
        self._agents = agent_set or agents()
        self._filler_after, self._reconnect_seconds = filler_after_seconds, reconnect_seconds
        self._conn: Connection | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._responses: dict[str, Response] = {}
        self._active: Response | None = None  # the response being generated (not a filler)
        self._items: list[Item] = []  # audio of the current answer, in play order
        self._playing_out: list[Response] = []  # done, still being played: not reported yet
        self._tool_work = 0  # responses whose tools are running or whose follow-up is awaited
        self._filler: Response | None = None
        self._no_filler = asyncio.Event()
        self._no_filler.set()
        self._filler_asked = 0.0
        self._quiet_since = time.monotonic()
        self._holding = False  # the caller finished a turn: the agent owes an answer
        self._counted: asyncio.Task[None] | None = None
        self._closing = False
        self._events: asyncio.Queue[OutEvent] = asyncio.Queue()
        self._awaiting_event = False  # the receive loop waits for the next event (and is in no handler)
        self.dropped_frames = 0
        self.reconnects = 0

    # -- VoiceEngine ----------------------------------------------------------------------------

    async def start(self, call: CallContext, side: CallSide, tools: ToolPort) -> None:
        self._call, self._side, self._port = call, side, tools
        # A caller whose number is not on file has no profile: the templates still get every field they name.
        customer = {"first_name": call.first_name, "last_name": "", "loyalty_tier": "new",
                    **(call.facts.get("customer") or {})}
        self._facts = {"company": "our company", **call.facts, "customer": customer}
        self._spawn(self._forward())
        self.state = ConversationState(id=f"chat-{call.session_id}", session_id=call.session_id,
                                       active_agent=call.agent)
        self._conn = await self._connect()
        self._conn.at_once(self._at_once)
        await self._configure(with_voice=True)
        greeting = self._agent.render("greeting", **self._facts)
        self._send(protocol.say_exactly(greeting))
        self._spawn(self._receive())
        self._spawn(self._watch())

    def caller_audio(self, audio_b64: str) -> None:
        conn = self._conn
        if conn is None:  # reconnecting: the caller's audio of these few hundred ms is lost
            self.dropped_frames += 1
            return
        try:
            conn.send(protocol.append_audio(audio_b64))
        except Exception:  # the receiving side sees the drop and reconnects
            self.dropped_frames += 1

    async def dtmf(self, digits: str) -> None:
        self._send(protocol.text_message(f"(The caller pressed the keys {digits} on the phone.)"))
        self._send({"type": "response.create"})

    async def close(self) -> None:
        self._closing = True
        for response in self._playing_out:  # the caller hung up during the last words
            await self._turn_ended(response, [], [])
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a model slow to answer the closing handshake holds nothing up
                await asyncio.wait_for(self._conn.close(), CLOSE_SECONDS)
            self._conn = None

    # -- the session ----------------------------------------------------------------------------

    @property
    def _agent(self) -> Agent:
        return self._agents[self.state.active_agent]

    async def _configure(self, with_voice: bool) -> None:
        agent, schemas = self._agent, tool_schemas()
        tools = [schemas[name] for name in (*agent.tools, *ALWAYS) if name in schemas]
        voice = self._call.voice or self._settings.realtime_voice or agent.voice
        self._send(protocol.session_update(
            self._settings.realtime_provider, agent.render("instructions", **self._facts), tools=tools, voice=voice,
            turn_detection=self._settings.realtime_turn_detection, rate=self._call.audio.sample_rate,
            with_voice=with_voice))

    def _send(self, event: dict[str, Any]) -> None:
        if self._conn is None:
            return
        try:
            self._conn.send(protocol.dumps(event))
        except Exception as error:  # the receiving side reconnects
            log.info("call %s: %s not sent: %s", self._call.call_id, event.get("type"), type(error).__name__)

    def _spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _emit(self, event: OutEvent) -> None:
        self._events.put_nowait(event)

    def _queue_event(self, event: OutEvent) -> None:
        """The executor's events (it emits synchronously), in order with the engine's own."""
        self._events.put_nowait(event)

    async def _forward(self) -> None:
        while True:
            await self._side.emit(await self._events.get())

    # -- server events --------------------------------------------------------------------------

    async def _receive(self) -> None:
        while not self._closing:
            conn = self._conn
            self._awaiting_event = True
            try:
                raw = await conn.recv_bytes() if conn is not None else b""
            except asyncio.CancelledError:
                raise
            except Exception as error:  # closed, reset, protocol error: all one here
                self._awaiting_event = False
                if self._closing:
                    return
                log.warning("call %s: the model connection dropped (%s)", self._call.call_id, type(error).__name__)
                if not await self._reopen():
                    return
                continue
            self._awaiting_event = False
            try:
                event = orjson.loads(raw)
                kind = event["type"]
            except (orjson.JSONDecodeError, KeyError, TypeError):
                log.info("call %s: an unreadable model event was skipped", self._call.call_id)
                continue
            handler = HANDLERS.get(kind)
            if handler is not None:
                try:
                    await handler(self, event)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("call %s: %s could not be handled", self._call.call_id, kind)

    async def _speech_started(self, event: dict[str, Any]) -> None:
        self._holding = False
        if self._side.queued_ms() > self._side.played_ms() or self._active is not None:
            await self._barge_in()
        else:  # the agent had finished: nothing to stop, and all of it was heard
            self._items = []

    async def _committed(self, event: dict[str, Any]) -> None:
        """The caller finished a turn: earlier read-backs may now be confirmed, and the agent owes an answer."""
        self._holding = True
        previous = self._counted

        async def count() -> None:
            if previous is not None:
                await previous
            await self._port.caller_turn()

        self._counted = self._spawn(count())

    async def _caller_said(self, event: dict[str, Any]) -> None:
        text = str(event.get("transcript") or "").strip()
        if text:
            self.state.remember("user", text)
            await self._emit(CallerSaid(text))

    async def _response_created(self, event: dict[str, Any]) -> None:
        body = event.get("response") or {}
        response = Response(str(body.get("id") or uuid.uuid4().hex))
        response.filler = (body.get("metadata") or {}).get("purpose") == protocol.FILLER
        self._responses[response.id] = response
        if response.filler:
            self._filler = response
            self._no_filler.clear()
        else:
            self._active = response

    def _response(self, event: dict[str, Any]) -> Response:
        rid = str(event.get("response_id") or (event.get("response") or {}).get("id") or "")
        if rid not in self._responses:  # created before a reconnect, or never announced
            self._responses[rid] = Response(rid)
        return self._responses[rid]

    def _at_once(self, raw: bytes) -> bool:
        """An audio delta read while the receive loop waits for an event is played in the read callback (most of
        a call's events: each would otherwise wake the loop's task); any other goes through the loop."""
        if not self._awaiting_event or self._closing or b'audio.delta"' not in raw[:96]:
            return False
        try:
            event = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return False
        if not isinstance(event, dict) or event.get("type") not in protocol.AUDIO_DELTA:
            return False  # the loop skips what is not an event
        try:
            self._play(event)
        except Exception:  # as in the loop: logged, and the call goes on (in a read callback it would drop the socket)
            log.exception("call %s: an audio delta could not be played", self._call.call_id)
        return True

    async def _audio_delta(self, event: dict[str, Any]) -> None:
        self._play(event)

    def _play(self, event: dict[str, Any]) -> None:
        response = self._response(event)
        if response.cancelled:
            return  # the server may still send what it had generated before the cancel
        delta = event.get("delta")
        if not isinstance(delta, str) or not delta:
            return
        item_id = str(event.get("item_id") or response.id)
        if not self._items or self._items[-1].id != item_id:
            start = self._side.queued_ms()
            if not self._side.queued_ms() > self._side.played_ms():  # the transport starts a new answer
                self._items, start = [], 0
            self._items.append(Item(item_id, response, start))
        self._side.play(delta)
        item = self._items[-1]
        item.length_ms = self._side.queued_ms() - item.start_ms

    async def _transcript_delta(self, event: dict[str, Any]) -> None:
        response = self._response(event)
        delta = event.get("delta")
        if isinstance(delta, str) and delta and not response.cancelled and not response.filler:
            response.text.append(delta)
            await self._emit(TextDelta(delta))

    async def _function_call(self, event: dict[str, Any]) -> None:
        response = self._response(event)
        try:
            arguments = orjson.loads(event.get("arguments") or "{}")
        except orjson.JSONDecodeError:
            arguments = None
        response.calls.append({"call_id": str(event.get("call_id") or uuid.uuid4().hex),
                               "name": str(event.get("name") or ""), "arguments": arguments})

    async def _response_done(self, event: dict[str, Any]) -> None:
        response = self._response(event)
        response.done = True
        if (event.get("response") or {}).get("status") == "cancelled":
            response.cancelled = True
        if response is self._filler:
            self._filler = None
            self._no_filler.set()
            return
        if response is self._active:
            self._active = None
        if response.calls and not response.cancelled:
            self._tool_work += 1
            self._spawn(self._run_tools(response))
            return
        if response.calls or response.cancelled or not self._still_playing(response):
            await self._turn_ended(response, [], [])
        else:
            self._playing_out.append(response)  # reported once heard out, or with what was heard of it
        self._holding = False

    def _still_playing(self, response: Response) -> bool:
        return any(item.response is response for item in self._items) and (
            self._side.queued_ms() > self._side.played_ms())

    async def _error(self, event: dict[str, Any]) -> None:
        error = event.get("error") or {}
        log.info("call %s: the model reports %s: %s", self._call.call_id, error.get("code") or error.get("type"),
                 str(error.get("message", ""))[:200])


    # -- barge-in -------------------------------------------------------------------------------

    async def _barge_in(self) -> None:
        """The caller speaks over the agent: silence at once, then tell the model what was heard. The
        interrupted responses' turns are reported when the server confirms them done (`_response_done`) or
        when their tools have wound up (`_run_tools`)."""
        speaking = self._side.queued_ms() > self._side.played_ms()
        played = self._side.played_ms()
        if speaking:
            await self._side.stop_audio()
        if self._active is not None:
            self._active.cancelled = True
            self._active = None
            self._send({"type": "response.cancel"})
        heard: dict[str, tuple[int, int]] = {}  # response id -> (ms heard, ms it spoke)
        for item in self._items if speaking else []:
            ms = min(max(0, played - item.start_ms), item.length_ms)
            if ms < item.length_ms:
                self._send(protocol.truncate(item.id, ms))
            before = heard.get(item.response.id, (0, 0))
            heard[item.response.id] = (before[0] + ms, before[1] + item.length_ms)
            if not item.response.filler:
                item.response.cancelled = True
        for response in {item.response.id: item.response for item in self._items}.values():
            spoken, length = heard.get(response.id, (0, 0))
            text = "".join(response.text)
            response.heard = text[:len(text) * spoken // length] if length else ""
            if response.executor is not None:  # its tools already ran: what they read back cannot be confirmed
                await self._port.drop_proposals(response.executor.proposals)
            if response.done and not response.calls and not response.filler and not response.reported:
                await self._turn_ended(response, [], [])
        self._items = []

    # -- tools ----------------------------------------------------------------------------------

    async def _run_tools(self, response: Response) -> None:
        """The response's function calls, in order; their outputs and a new response go back to the model."""
        try:
            if self._counted is not None:
                await self._counted  # the caller's turn is counted before anything it confirms
            executor = ToolExecutor(self._agents, self.state, self._port, emit=self._queue_event,
                                    turn_id=response.id[-12:] or uuid.uuid4().hex[:12])
            response.executor = executor
            outputs: list[tuple[str, Any]] = []
            for call in response.calls:
                if isinstance(call["arguments"], dict) and call["arguments"].get("confirmed") is True:
                    await self._heard(response)  # a side effect runs only after its read-back was heard out
                if response.cancelled:
                    outputs.append((call["call_id"], {"ok": False, "error": "not done: the caller interrupted"}))
                    continue
                if not isinstance(call["arguments"], dict):
                    outputs.append((call["call_id"], {"ok": False, "error": "the arguments were not JSON"}))
                    continue
                done: ToolCall = await executor.call(call["name"], call["arguments"], call["call_id"])
                outputs.append((call["call_id"], {"ok": done.ok, "result": done.result, "error": done.error}))
            if response.cancelled:
                await self._port.drop_proposals(executor.proposals)
            for call_id, output in outputs:
                self._send(protocol.function_output(call_id, output))
            if executor.handoffs:
                await self._configure(with_voice=False)  # the new agent, the same conversation
            await self._turn_ended(response, executor.calls, executor.handoffs)
            if not response.cancelled:
                await self._no_filler.wait()  # one response at a time: a filler being said finishes first
                self._holding = True
                self._send({"type": "response.create"})
        finally:
            self._tool_work -= 1

    async def _heard(self, response: Response) -> None:
        """Until the response's audio has been played (the call side counts, it does not signal)."""
        while not response.cancelled and self._still_playing(response):  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    async def _turn_ended(self, response: Response, calls: list[ToolCall], handoffs: list[str]) -> None:
        if response.reported:
            return
        response.reported = True
        said = ("".join(response.text) if response.heard is None else response.heard).strip()
        if said:
            self.state.remember("assistant", said, self.state.active_agent)
        self.state.keep(calls)
        self.state.turns += 1
        await self._emit(TurnEnded(said, self.state.active_agent, response.cancelled, [], calls, handoffs))
        if any(c.name == "end_call" and c.ok for c in calls):
            await self._emit(ConversationEnded("the agent ended the call"))

    # -- dead air -------------------------------------------------------------------------------

    async def _watch(self) -> None:
        """While the agent holds the turn, more than a second of silence gets a short filler."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            now = time.monotonic()
            for response in [r for r in self._playing_out if r.reported or not self._still_playing(r)]:
                self._playing_out.remove(response)
                await self._turn_ended(response, [], [])
            if self._side.queued_ms() > self._side.played_ms():
                self._quiet_since = now
                continue
            # Owed an answer, and no response being generated (a filler cannot run beside one).
            owing = (self._holding or self._tool_work > 0) and self._active is None
            if not owing or self._conn is None:
                self._quiet_since = now
                continue
            if (self._filler is None and now - self._quiet_since >= self._filler_after
                    and now - self._filler_asked >= self._filler_after):
                self._filler_asked = now
                self._send(protocol.filler())

    # -- resilience -----------------------------------------------------------------------------

    async def _reopen(self) -> bool:
        """A new connection with the agent and the conversation so far, within the reconnect budget."""
        self._conn, self._active, self._filler, self._items = None, None, None, []
        self._no_filler.set()
        deadline = time.monotonic() + self._reconnect_seconds
        delay = 0.05
        while not self._closing:
            try:
                conn = await asyncio.wait_for(self._connect(), max(0.05, deadline - time.monotonic()))
                break
            except asyncio.CancelledError:
                raise
            except Exception as error:  # refused, reset, timed out: again while there is time
                if time.monotonic() + delay >= deadline:
                    log.warning("call %s: the model could not be reached again (%s): ending the call",
                                self._call.call_id, type(error).__name__)
                    self._side.play(notice(ENGINE_LOST, self._call.audio.sample_rate))  # the caller is told
                    await self._emit(ConversationEnded("the voice engine could not be reached"))
                    return False
                await asyncio.sleep(delay)
                delay *= 2
        else:
            return False
        self._conn = conn
        conn.at_once(self._at_once)
        self.reconnects += 1
        await self._configure(with_voice=True)
        for message in self.state.history:
            self._send(protocol.message(message.role, message.text))
        if self._holding or self._tool_work:
            self._send({"type": "response.create"})
        log.info("call %s: the model connection was reopened with %d messages", self._call.call_id,
                 len(self.state.history))
        return True


Handler = Callable[[RealtimeEngine, dict[str, Any]], Awaitable[None]]
HANDLERS: dict[str, Handler] = {
    "input_audio_buffer.speech_started": RealtimeEngine._speech_started,
    "input_audio_buffer.committed": RealtimeEngine._committed,
    "conversation.item.input_audio_transcription.completed": RealtimeEngine._caller_said,
    "response.created": RealtimeEngine._response_created,
    **dict.fromkeys(protocol.AUDIO_DELTA, RealtimeEngine._audio_delta),
    **dict.fromkeys(protocol.TRANSCRIPT_DELTA, RealtimeEngine._transcript_delta),
    "response.function_call_arguments.done": RealtimeEngine._function_call,
    "response.done": RealtimeEngine._response_done,
    "error": RealtimeEngine._error,
}
