"""The tool port of the function app: tools run in this process through the tool runner."""

from __future__ import annotations

from typing import Any

from shared.sessions.model import Session
from shared.sessions.store import sessions
from shared.settings import Settings
from shared.tools.registry import ToolResult
from shared.tools.runner import EffectRunner, run_tool


class InProcessTools:
    def __init__(self, settings: Settings, session: Session, effects: EffectRunner) -> None:
        self._settings, self._session, self._effects = settings, session, effects

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        store = await sessions(self._settings)
        current = await store.get(self._session.id) or self._session  # verified since the turn began?
        return await run_tool(self._settings, name, current, arguments, call_id, effects=self._effects)

    async def caller_turn(self) -> None:
        await (await sessions(self._settings)).count_caller_turn(self._session.id)

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        await drop_proposals(self._settings, self._session.id, proposal_ids)


async def drop_proposals(settings: Settings, session_id: str, proposal_ids: list[str]) -> None:
    """Read-backs nobody can confirm any more (their answer was cut off)."""
    if proposal_ids:
        dropped = set(proposal_ids)
        await (await sessions(settings)).change(session_id, lambda s: s.model_copy(
            update={"proposals": [p for p in s.proposals if p.id not in dropped]}))
