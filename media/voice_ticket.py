"""The ticket that lets a browser's voice socket in: what the media container knows of the session it opened.

POST /voice/sessions (media/web.py) opens the customer's session with the service key and gives the browser
the session (its id and secret token) and this ticket, signed with a key only the server holds. The
browser's WebSocket presents both; a valid ticket for that token says which customer, conversation and
agents' facts the call runs with, so any replica can take the socket without asking the function app, and
nobody who lacks the session's token can use it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

TICKET_SECONDS = 600  # to open the socket after the session was opened (the session itself lives longer)


@dataclass(frozen=True)
class VoiceTicket:
    session_id: str
    customer_id: str
    first_name: str
    conversation: str
    verified: bool
    facts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sign(key: str, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key.encode(), b"voice-ticket\n" + payload, "sha256").digest()).decode()


def issue(key: str, ticket: VoiceTicket, token: str, now: float | None = None) -> str:
    payload = json.dumps({**ticket.__dict__, "token": _token_hash(token),
                          "expires": int((now or time.time()) + TICKET_SECONDS)}, separators=(",", ":")).encode()
    return f"{base64.urlsafe_b64encode(payload).decode()}.{_sign(key, payload)}"


def verify(key: str, ticket: str, token: str, now: float | None = None) -> VoiceTicket | None:
    """The ticket's session if it is ours, unexpired and for this token; None otherwise."""
    encoded, _, signature = ticket.partition(".")
    try:
        payload = base64.urlsafe_b64decode(encoded.encode())
    except ValueError:
        return None
    if not key or not hmac.compare_digest(signature.encode(), _sign(key, payload).encode()):
        return None
    body = json.loads(payload)
    if body.pop("expires") < (now or time.time()) or not hmac.compare_digest(body.pop("token"), _token_hash(token)):
        return None
    return VoiceTicket(**body)
