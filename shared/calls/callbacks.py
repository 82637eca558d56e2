"""Call Automation callbacks: CloudEvents arrays, read into the events the call orchestration acts on.

Several API versions are live at once: event types come as `Microsoft.Communication.CallConnected`
or bare, and the fields the product reads have kept their names across them; unknown types are
skipped, never an error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KNOWN = frozenset({
    "CallConnected", "CallDisconnected", "AnswerFailed", "MediaStreamingStarted", "MediaStreamingStopped",
    "MediaStreamingFailed", "ParticipantsUpdated", "CallTransferAccepted", "CallTransferFailed", "PlayCompleted",
    "PlayFailed",
})
PREFIX = "Microsoft.Communication."


class MalformedCallbackError(ValueError):
    pass


@dataclass(frozen=True)
class CallEvent:
    type: str  # without the Microsoft.Communication. prefix
    call_connection_id: str
    server_call_id: str
    correlation_id: str
    operation_context: str
    code: int  # resultInformation.code: 200 for success, else the failure's
    sub_code: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def parse_callbacks(body: Any) -> tuple[list[CallEvent], list[str]]:
    """(the known events, the types that were skipped); raises MalformedCallbackError for a body that is not
    an array of CloudEvents."""
    if isinstance(body, dict):  # a single event: accepted, as ACS sends arrays but proxies unwrap them
        body = [body]
    if not isinstance(body, list) or not body:
        raise MalformedCallbackError("the body must be a non-empty JSON array of CloudEvents")
    known, skipped = [], []
    for item in body:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise MalformedCallbackError("each event must be an object with a string `type`")
        kind = item["type"].removeprefix(PREFIX)
        data = item.get("data")
        if kind not in KNOWN:
            skipped.append(kind[:80])
            continue
        if not isinstance(data, dict):
            raise MalformedCallbackError(f"{kind}: `data` must be an object")
        result = data.get("resultInformation") if isinstance(data.get("resultInformation"), dict) else {}
        code, sub_code = result.get("code", 200), result.get("subCode", 0)
        known.append(CallEvent(
            type=kind, call_connection_id=_text(data, "callConnectionId"), server_call_id=_text(data, "serverCallId"),
            correlation_id=_text(data, "correlationId"), operation_context=_text(data, "operationContext"),
            code=code if isinstance(code, int) else 0, sub_code=sub_code if isinstance(sub_code, int) else 0,
            message=result.get("message", "") if isinstance(result.get("message"), str) else ""))
    return known, skipped
