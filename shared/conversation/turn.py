"""What a brain sees of one turn: the caller's words, the state, and the only ways it can act:
say something, run a tool, hand off, cite a source."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from shared.agents.definitions import Agent
from shared.conversation.clauses import ClauseSplitter
from shared.conversation.events import OutEvent
from shared.conversation.executor import ToolExecutor
from shared.conversation.state import ConversationState, ToolCall


class Turn:
    def __init__(self, message: str, *, confidence: float, state: ConversationState, agents: dict[str, Agent],
                 facts: dict[str, Any], executor: ToolExecutor, emit: Callable[[OutEvent], None]) -> None:
        self.message, self.confidence = message, confidence
        self.state, self.facts = state, facts
        self._agents, self._executor, self._emit = agents, executor, emit
        self._splitter = ClauseSplitter()
        self.said: list[str] = []
        self.citations: list[str] = []

    @property
    def agent(self) -> Agent:
        return self._agents[self.state.active_agent]

    @property
    def agents(self) -> dict[str, Agent]:
        return self._agents

    @property
    def calls(self) -> list[ToolCall]:
        return self._executor.calls

    async def say(self, text: str) -> None:
        """Streams a piece of the answer to the caller."""
        for delta in self._splitter.feed(text):
            self.said.append(delta.text)
            self._emit(delta)
        await asyncio.sleep(0)  # a barge-in may stop the turn here

    async def tool(self, name: str, arguments: dict[str, Any] | None = None, call_id: str | None = None
                   ) -> ToolCall:
        return await self._executor.call(name, arguments, call_id)

    async def hand_off(self, target: str, reason: str) -> None:
        await self._executor.hand_off(target, reason)

    def cite(self, citation: str) -> None:
        if citation not in self.citations:
            self.citations.append(citation)

    def finish(self) -> str:
        """Ends the last clause; returns all that was said."""
        for delta in self._splitter.flush():
            self.said.append(delta.text)
            self._emit(delta)
        return "".join(self.said)
