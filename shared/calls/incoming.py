"""An IncomingCall event as ACS sends it through Event Grid, read into what the product needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


class NotACallError(ValueError):
    """The event is not an IncomingCall the product can answer; the message says what is missing."""


@dataclass(frozen=True)
class IncomingCall:
    caller: str  # E.164 for a phone number, else the raw id ("8:acs:...")
    recipient: str
    context: str  # incomingCallContext: opaque, handed back to answer the call
    server_call_id: str
    correlation_id: str
    display_name: str

    @property
    def call_id(self) -> str:
        """The product's id of the call: the same for every delivery of its IncomingCall event."""
        return "call-" + hashlib.sha256((self.correlation_id or self.server_call_id).encode()).hexdigest()[:24]


def identity(party: Any) -> str:
    """A phone number as its E.164 value, any other participant as its raw id."""
    if not isinstance(party, dict):
        raise NotACallError("a participant is not an object")
    if party.get("kind") == "phoneNumber" and isinstance(party.get("phoneNumber"), dict):
        number = party["phoneNumber"].get("value")
        if isinstance(number, str) and number:
            return number
    raw = party.get("rawId")
    if not isinstance(raw, str) or not raw:
        raise NotACallError("a participant has neither a phone number nor a rawId")
    return raw


def parse_incoming(data: Any) -> IncomingCall:
    if not isinstance(data, dict):
        raise NotACallError("the event's data is not an object")
    context = data.get("incomingCallContext")
    if not isinstance(context, str) or not context:
        raise NotACallError("no incomingCallContext")
    ids = {name: data.get(name) or "" for name in ("serverCallId", "correlationId")}
    if not all(isinstance(v, str) for v in ids.values()) or not any(ids.values()):
        raise NotACallError("no serverCallId nor correlationId")
    display = data.get("callerDisplayName") or ""
    return IncomingCall(caller=identity(data.get("from")), recipient=identity(data.get("to")), context=context,
                        server_call_id=ids["serverCallId"], correlation_id=ids["correlationId"],
                        display_name=display if isinstance(display, str) else "")
