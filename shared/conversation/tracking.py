"""What a conversation's orchestration keeps: agents in order, tools used, turns, the call's phases
with their times, how it ended.

Plain functions over a JSON-able state, so the orchestrator stays a thin replayable loop.
"""

from __future__ import annotations

import json
from typing import Any

ACTIVITY_EVENT = "activity"
ENDED_EVENT = "ended"
# The Call Automation callbacks the orchestration acts on, each raised as an event of its own name: one event
# name per kind of callback, so that two callbacks arriving together never queue under one name.
CALL_EVENTS = ("CallConnected", "CallDisconnected", "AnswerFailed", "CallTransferAccepted", "CallTransferFailed")
# Raised by the function app itself once the answer request went out: not a callback (none can raise it).
ANSWERED_EVENT = "CallAnswered"
RECENT_TOOLS = 20  # custom status stays small (Azure caps it at 16 KB)


def new_state(session_id: str, entry_agent: str, channel: str = "chat", call: dict[str, Any] | None = None
              ) -> dict[str, Any]:
    """`call`, for a phone call: its id, connection id and caller; its phases go into `timeline`."""
    return {"session_id": session_id, "channel": channel, "status": "active", "phase": "in conversation",
            "timeline": [], "agents": [entry_agent], "turns": 0, "tool_counts": {}, "recent_tools": [],
            "refused": 0, "events": 0, "verified": False, **({"call": call, "phase": "ringing"} if call else {})}


def enter(state: dict[str, Any], phase: str, at: str) -> dict[str, Any]:
    """The conversation moved on (answered, connected, transferring, saying goodbye, ended, post-call), at `at`
    (ISO time)."""
    return {**state, "phase": phase, "timeline": [*state["timeline"], {"phase": phase, "at": at}]}


def parse_callback(payload: Any) -> dict[str, Any] | None:
    """A callback raised to the orchestration (see shared.calls.callbacks.CallEvent), or None if malformed."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except json.JSONDecodeError:
            return None
    if not isinstance(payload, dict) or payload.get("type") not in CALL_EVENTS:
        return None
    return payload


def parse_activity(payload: Any) -> dict[str, Any] | None:
    """The activity an event reports, or None when it is not one.

    The Durable extension hands the orchestrator the JSON text the SDK's client sent, so a text
    holding a JSON object is read as that object.
    """
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except json.JSONDecodeError:
            return None
    if not isinstance(payload, dict):
        return None
    handoffs, tools = payload.get("handoffs", []), payload.get("tools", [])
    if not isinstance(payload.get("kind", ""), str) or not isinstance(handoffs, list) or not isinstance(tools, list):
        return None
    if not all(isinstance(agent, str) for agent in handoffs):
        return None
    if not all(isinstance(t, dict) and isinstance(t.get("name"), str) and isinstance(t.get("ok"), bool) for t in tools):
        return None
    return payload


def apply(state: dict[str, Any], activity: dict[str, Any]) -> dict[str, Any]:
    """Adds one reported activity: a chat turn or a tool call from the media path."""
    state = {**state, "events": state["events"] + 1}
    if activity.get("kind") == "turn":
        state["turns"] += 1
    for agent in activity.get("handoffs", []):
        if agent != state["agents"][-1]:
            state["agents"] = [*state["agents"], agent]
    for tool in activity.get("tools", []):
        state["tool_counts"] = {**state["tool_counts"], tool["name"]: state["tool_counts"].get(tool["name"], 0) + 1}
        state["recent_tools"] = [*state["recent_tools"], {"name": tool["name"], "ok": tool["ok"]}][-RECENT_TOOLS:]
        state["refused"] += 0 if tool["ok"] else 1
        if tool["name"] == "verify_caller" and tool["ok"]:
            state["verified"] = True
    return state



def ends_conversation(activity: dict[str, Any]) -> bool:
    return any(t["name"] == "end_call" and t["ok"] for t in activity.get("tools", []))


def report(kind: str, tool_calls: list[Any], handoffs: list[str] | None = None) -> dict[str, Any]:
    """The event payload for one turn or one tool call."""
    return {"kind": kind, "handoffs": handoffs or [],
            "tools": [{"name": c.name, "ok": c.ok} for c in tool_calls]}
