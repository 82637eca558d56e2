"""One conversation: caller events in, agent events out; each turn a task that a barge-in cancels.

A cancelled turn keeps what the caller heard (the transport says how much was played), drops the
read-backs it made (nothing it planned can be confirmed later) and lets a tool that had started
finish, so nothing is left half-done. A tentative turn (the caller may yet go on: the spoken engine
ends turns early) holds back the tools that act until it is committed; withdrawn, it leaves no trace
in the state. The state is saved under its etag after every turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from shared.agents.definitions import Agent
from shared.conversation.events import (
    CallerStartedSpeaking,
    CallerText,
    ConversationEnded,
    Dtmf,
    HangUp,
    InEvent,
    OutEvent,
    TurnEnded,
)
from shared.conversation.executor import TOOL_DEADLINE_SECONDS, ToolExecutor, ToolPort
from shared.conversation.state import ConversationState
from shared.conversation.turn import Turn

log = logging.getLogger(__name__)
APOLOGY = "I'm sorry, something went wrong on my side. Could you say that again?"


class Brain(Protocol):
    async def respond(self, turn: Turn) -> None:
        """Decides what to say and which tools to run for the caller's message, through `turn` only."""


class StateStore(Protocol):
    async def save(self, state: ConversationState, etag: str | None) -> str: ...


class Conversation:
    def __init__(self, *, agents: dict[str, Agent], brain: Brain, port: ToolPort, store: StateStore,
                 state: ConversationState, etag: str | None, facts: dict[str, Any],
                 tool_deadline_seconds: float = TOOL_DEADLINE_SECONDS) -> None:
        self._agents, self._brain, self._port, self._store = agents, brain, port, store
        self.state, self._etag, self._facts = state, etag, facts
        self._tool_deadline = tool_deadline_seconds
        self.events: asyncio.Queue[OutEvent] = asyncio.Queue()
        self._lock = asyncio.Lock()  # one turn at a time
        self._running: tuple[asyncio.Task[Any], asyncio.Future[TurnEnded | None]] | None = None
        self._cancelling = False
        self._withdrawing = False
        self._started: set[asyncio.Task[TurnEnded]] = set()  # turns that caller events began
        self._heard: str | None = None
        self.ended = False

    @property
    def answering(self) -> bool:
        """A turn is running (the brain, its tools, or whatever the transport holds it open for)."""
        return self._running is not None

    async def handle(self, event: InEvent) -> None:
        """Feeds one caller event; a turn it starts runs in the background (see `events`)."""
        match event:
            case CallerText(text=text, confidence=confidence):
                await self.interrupt()
                self._start(self.turn(text, confidence))
            case Dtmf(digits=digits):
                await self.interrupt()
                self._start(self.turn(digits))
            case CallerStartedSpeaking():
                await self.interrupt()
            case HangUp():
                await self.interrupt()
                self._end("the caller hung up")

    def stop(self, heard: str | None = None, withdraw: bool = False) -> asyncio.Future[TurnEnded | None] | None:
        """Cancels the running turn now, before anything else runs (a barge-in must not let it end as if its
        answer had been heard whole); `heard` is the part of it the caller heard (default: all of it), a
        withdrawn turn leaves no trace. Returns the future of its end, None if no turn runs."""
        if self._running is None:
            return None
        task, ended = self._running
        self._withdrawing = self._withdrawing or withdraw
        if not self._cancelling:  # a second stop must not cut the first one's winding up short
            self._cancelling, self._heard = True, "" if withdraw else heard
            task.cancel()
        return ended

    async def interrupt(self, heard: str | None = None) -> TurnEnded | None:
        """Stops the running turn and waits for it to wind up."""
        ended = self.stop(heard)
        return None if ended is None else await asyncio.shield(ended)

    async def withdraw(self) -> TurnEnded | None:
        """Takes back the running turn: the caller had not finished. It ends as if it never began (its tools
        that act were held back; its read-backs are dropped)."""
        ended = self.stop(withdraw=True)
        return None if ended is None else await asyncio.shield(ended)

    def _start(self, turn: Any) -> None:
        task = asyncio.create_task(turn)
        self._started.add(task)
        task.add_done_callback(self._started.discard)

    async def turn(self, message: str, confidence: float = 1.0,
                   committed: Callable[[], Awaitable[Any]] | None = None) -> TurnEnded:
        """Runs one caller turn to its end (or until interrupted or withdrawn) and saves the state.
        `committed`: the turn is tentative until it returns (see ToolExecutor)."""
        async with self._lock:
            ended: asyncio.Future[TurnEnded | None] = asyncio.get_running_loop().create_future()
            self._running, self._heard = (asyncio.current_task(), ended), None
            self._cancelling = self._withdrawing = False
            result: TurnEnded | None = None
            try:
                result = await self._run_turn(message, confidence, committed)
                return result
            finally:
                self._running = None
                ended.set_result(result)  # None: stopped before the brain began, nothing said or done

    async def _run_turn(self, message: str, confidence: float,
                        committed: Callable[[], Awaitable[Any]] | None) -> TurnEnded:
        """The turn itself; a cancellation anywhere in the brain ends it as interrupted (or withdrawn)."""
        await self._port.caller_turn()
        executor = ToolExecutor(self._agents, self.state, self._port, emit=self._emit,
                                turn_id=uuid.uuid4().hex[:12], deadline_seconds=self._tool_deadline,
                                committed=committed)
        turn = Turn(message, confidence=confidence, state=self.state, agents=self._agents, facts=self._facts,
                    executor=executor, emit=self._emit)
        before = self.state.model_copy(deep=True)
        interrupted = False
        try:
            await self._brain.respond(turn)
        except asyncio.CancelledError:
            interrupted = True
        except Exception:
            log.exception("the brain failed in session %s", self.state.session_id)
            with contextlib.suppress(asyncio.CancelledError):
                await turn.say(APOLOGY)
        said = turn.finish()
        if interrupted:
            said = said if self._heard is None else self._heard
            self.state.pending, self.state.awaiting_verification = before.pending, before.awaiting_verification
            await executor.settle()
            await self._port.drop_proposals(executor.proposals)
        if interrupted and self._withdrawing:
            return self._withdrawn(before)
        self.state.remember("user", message)
        if said:
            self.state.remember("assistant", said, self.state.active_agent)
        self.state.keep(executor.calls)
        self.state.turns += 1
        self._etag = await self._store.save(self.state, self._etag)
        ended = TurnEnded(said, self.state.active_agent, interrupted, turn.citations, executor.calls,
                          executor.handoffs)
        self._emit(ended)
        if any(c.name == "end_call" and c.ok for c in executor.calls):
            self._end("the agent ended the call")
        return ended

    def _withdrawn(self, before: ConversationState) -> TurnEnded:
        """The state as it was before the turn: no words, no tools, no handoff, not counted."""
        for name in type(before).model_fields:
            setattr(self.state, name, getattr(before, name))
        ended = TurnEnded("", self.state.active_agent, interrupted=True, withdrawn=True)
        self._emit(ended)
        return ended

    def _emit(self, event: OutEvent) -> None:
        self.events.put_nowait(event)

    def _end(self, reason: str) -> None:
        if not self.ended:
            self.ended = True
            self._emit(ConversationEnded(reason))
