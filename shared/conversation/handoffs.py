"""The one handoff mechanism: an agent hands the caller only to its own targets; the way to any other
agent goes through the entry agent, which can reach every specialist."""

from __future__ import annotations

from shared.agents.definitions import ENTRY_AGENT, Agent


class HandoffRefusedError(ValueError):
    pass


def check(agents: dict[str, Agent], source: str, target: str) -> None:
    if target not in agents[source].handoffs:
        raise HandoffRefusedError(f"{source} can hand off to {', '.join(agents[source].handoffs)} only")


def route(agents: dict[str, Agent], source: str, target: str) -> list[str]:
    """The agents to hand off to, in order, to get from `source` to `target` (empty if already there)."""
    if source == target:
        return []
    if target in agents[source].handoffs:
        return [target]
    check(agents, source, ENTRY_AGENT)
    check(agents, ENTRY_AGENT, target)
    return [ENTRY_AGENT, target]
