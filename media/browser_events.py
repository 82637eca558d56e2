"""What the browser's voice chat is told besides the agent's audio: the engine's events as JSON frames
`{"kind": "Event", "event": {...}}`, beside the ACS media frames (AudioData, StopAudio) on the same socket."""

from __future__ import annotations

from typing import Any

from shared.conversation import events as ev


def browser_event(event: ev.OutEvent) -> dict[str, Any] | None:
    """The frame for one engine event; None for what the page does not show."""
    match event:
        case ev.CallerSaid(text=text):
            body: dict[str, Any] = {"type": "caller", "text": text}
        case ev.TextDelta(text=text):
            body = {"type": "delta", "text": text}
        case ev.ToolStarted(name=name):
            body = {"type": "tool_started", "name": name}
        case ev.ToolFinished(name=name, ok=ok, error=error):
            body = {"type": "tool_finished", "name": name, "ok": ok, "error": error}
        case ev.VerificationChanged(verified=verified):
            body = {"type": "verification", "verified": verified}
        case ev.HandedOff(source=source, target=target):
            body = {"type": "handoff", "source": source, "target": target}
        case ev.TurnEnded(said=said, agent=agent, interrupted=interrupted, citations=citations, tool_calls=calls):
            body = {"type": "turn", "agent": agent, "said": said, "interrupted": interrupted,
                    "citations": list(citations), "tools": [_tool(c) for c in calls]}
        case ev.ConversationEnded(reason=reason):
            body = {"type": "ended", "reason": reason}
        case _:
            return None
    return {"kind": "Event", "event": body}


def _tool(call: Any) -> dict[str, Any]:
    return {"name": getattr(call, "name", "?"), "ok": bool(getattr(call, "ok", False)),
            "error": getattr(call, "error", None)}
