"""Runs the tools a brain asks for: which tools the active agent has, events, handoffs, what a cancelled
turn must undo, and what a tentative turn must hold back. The safety rules themselves (validation,
verification, confirmation, caller scope) are the tool runner's, behind the port."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from shared.agents.definitions import Agent
from shared.conversation import handoffs
from shared.conversation.events import HandedOff, OutEvent, ToolFinished, ToolStarted, VerificationChanged
from shared.conversation.state import ConversationState, ToolCall
from shared.tools.registry import ToolResult
from shared.tools.runner import all_tools

log = logging.getLogger(__name__)
ALWAYS = ("handoff", "verify_caller")  # every agent can pass the caller on and check who they are
TOOL_DEADLINE_SECONDS = 30.0  # beyond each tool's own timeout: a port that hangs (a network) ends here


class ToolPort(Protocol):
    """Where tools run for one session: in this process (the function app) or over HTTP (the media path)."""

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult: ...

    async def caller_turn(self) -> None:
        """The caller finished a turn: read-backs from earlier turns may now be confirmed."""

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        """Read-backs of a cancelled turn: the caller never heard them out, so they cannot be confirmed."""


class ToolExecutor:
    def __init__(self, agents: dict[str, Agent], state: ConversationState, port: ToolPort, *,
                 emit: Callable[[OutEvent], None], turn_id: str, deadline_seconds: float = TOOL_DEADLINE_SECONDS,
                 committed: Callable[[], Awaitable[Any]] | None = None) -> None:
        """`committed`, for a tentative turn (the caller may yet go on): waited for before any tool that acts
        at once runs, so a turn taken back has changed nothing; lookups and read-backs run meanwhile."""
        self._agents, self._state, self._port, self._emit = agents, state, port, emit
        self._turn_id, self._deadline, self._committed = turn_id, deadline_seconds, committed
        self._in_flight: set[asyncio.Future[ToolResult]] = set()
        self.calls: list[ToolCall] = []
        self.handoffs: list[str] = []
        self.proposals: list[str] = []

    async def call(self, name: str, arguments: dict[str, Any] | None = None, call_id: str | None = None
                   ) -> ToolCall:
        arguments = arguments or {}
        agent = self._agents[self._state.active_agent]
        if name not in (*agent.tools, *ALWAYS):
            return self._refused(name, arguments, f"{agent.name} has no {name}")
        if name == "handoff":
            try:
                handoffs.check(self._agents, agent.name, arguments.get("agent", ""))
            except handoffs.HandoffRefusedError as refused:
                return self._refused(name, arguments, str(refused))
        call_id = f"{self._turn_id}-{call_id or len(self.calls) + 1}"  # never reused across turns
        if self._committed is not None and (spec := all_tools().get(name)) is not None and spec.acts(arguments):
            await self._committed()
        self._emit(ToolStarted(call_id, name, arguments))
        result = await self._run(name, arguments, call_id)
        call = ToolCall(name=name, arguments=arguments, ok=result.ok, result=result.result, error=result.error,
                        needs_verification=result.needs_verification)
        self.calls.append(call)
        self._emit(ToolFinished(call_id, name, call.ok, call.result, call.error))
        if call.ok and name == "handoff":
            source, self._state.active_agent = agent.name, arguments["agent"]
            self.handoffs.append(self._state.active_agent)
            self._emit(HandedOff(source, self._state.active_agent))
        if call.ok and name == "verify_caller":
            self._emit(VerificationChanged(True))
        return call

    async def hand_off(self, target: str, reason: str) -> None:
        """Takes the caller to `target`, through the entry agent if the active one cannot reach it directly."""
        for hop in handoffs.route(self._agents, self._state.active_agent, target):
            await self.call("handoff", {"agent": hop, "reason": reason})

    async def settle(self) -> None:
        """Waits for tools still running under a cancelled turn (each bounded by the deadline)."""
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=self._deadline)

    async def _run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        # A started tool runs to its end even if the turn is cancelled meanwhile: nothing is left half-done.
        task = asyncio.ensure_future(self._port.run(name, arguments, call_id))
        self._in_flight.add(task)
        task.add_done_callback(self._finished)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self._deadline)
        except TimeoutError:
            log.warning("tool %s (%s) gave no answer within %.0f s", name, call_id, self._deadline)
            return ToolResult(ok=False, error=f"{name} took too long to answer")

    def _finished(self, task: asyncio.Future[ToolResult]) -> None:
        self._in_flight.discard(task)
        if task.cancelled() or task.exception() is not None:
            return
        result = task.result()
        if result.ok and isinstance(result.result, dict) and result.result.get("status") == "confirmation_required":
            self.proposals.append(result.result["proposal_id"])

    def _refused(self, name: str, arguments: dict[str, Any], error: str) -> ToolCall:
        call = ToolCall(name=name, arguments=arguments, ok=False, error=error)
        self.calls.append(call)
        return call
