"""History events and orchestrator actions in the formats the Durable Python SDK reads and writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any


class EventType(IntEnum):
    ExecutionStarted = 0
    ExecutionCompleted = 1
    ExecutionFailed = 2
    ExecutionTerminated = 3
    TaskScheduled = 4
    TaskCompleted = 5
    TaskFailed = 6
    SubOrchestrationInstanceCreated = 7
    SubOrchestrationInstanceCompleted = 8
    SubOrchestrationInstanceFailed = 9
    TimerCreated = 10
    TimerFired = 11
    OrchestratorStarted = 12
    OrchestratorCompleted = 13
    EventSent = 14
    EventRaised = 15
    ContinueAsNew = 16
    GenericEvent = 17
    HistoryState = 18
    ExecutionSuspended = 19
    ExecutionResumed = 20


class ActionType(IntEnum):
    CallActivity = 0
    CallActivityWithRetry = 1
    CallSubOrchestrator = 2
    CallSubOrchestratorWithRetry = 3
    ContinueAsNew = 4
    CreateTimer = 5
    WaitForExternalEvent = 6
    CallEntity = 7
    CallHttp = 8
    SignalEntity = 9
    WhenAny = 11
    WhenAll = 12


# Each of these consumed one sequence number when the orchestrator scheduled it.
SCHEDULING_EVENTS = {
    EventType.TaskScheduled,
    EventType.TimerCreated,
    EventType.SubOrchestrationInstanceCreated,
    EventType.EventSent,
}

# What completes a waiting task (keyed by TaskScheduledId, or TimerId for a timer).
COMPLETIONS = {
    EventType.TaskCompleted,
    EventType.TaskFailed,
    EventType.SubOrchestrationInstanceCompleted,
    EventType.SubOrchestrationInstanceFailed,
    EventType.TimerFired,
}

# Marks the scheduling events of a retry's timers and later attempts: they took a sequence id,
# but answer no action of their own (the SDK returns one action per task with retries).
RETRY_MARK = "RetryOf"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """One fixed format, so that stored timestamps also sort as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def event(kind: EventType, *, event_id: int = -1, at: datetime | None = None, **fields: Any) -> dict[str, Any]:
    return {"EventType": int(kind), "EventId": event_id, "IsPlayed": False,
            "Timestamp": iso(at or utc_now()), **fields}


def scheduled_count(history: Iterable[dict[str, Any]]) -> int:
    return sum(1 for e in history if e["EventType"] in SCHEDULING_EVENTS)


def action_count(history: Iterable[dict[str, Any]]) -> int:
    """How many of the orchestrator's actions the history has carried out."""
    return sum(1 for e in history if e["EventType"] in SCHEDULING_EVENTS and RETRY_MARK not in e)


def flatten(actions: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Leaf actions in scheduling order (V1 nests lists per yield, V2+ nests compound actions)."""
    for action in actions:
        if isinstance(action, list):
            yield from flatten(action)
        elif action["actionType"] in (ActionType.WhenAny, ActionType.WhenAll):
            yield from flatten(action["compoundActions"])
        else:
            yield action


def numbered_actions(actions: Iterable[Any]) -> list[dict[str, Any]]:
    """The actions that take a sequence number; waiting for an event does not."""
    return [a for a in flatten(actions) if a["actionType"] != ActionType.WaitForExternalEvent]


def readable(history_event: dict[str, Any]) -> dict[str, Any]:
    """A history event as the status API shows it."""
    shown = {k: v for k, v in history_event.items() if k not in ("IsPlayed", RETRY_MARK)}
    shown["EventType"] = EventType(history_event["EventType"]).name
    return shown
