"""Per-call secrets: the callback URL and the media URL each carry a signed, expiring token.

A token is `<expiry>.<HMAC-SHA256 of purpose, call id and expiry>` under CALL_TOKEN_KEY, so any
instance can check it without storage, and one call's token opens nothing of another call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

CALLBACK, MEDIA = "callback", "media"
LIFETIME_SECONDS = 6 * 3600  # longer than any call


def _mac(key: str, purpose: str, call_id: str, expires: int) -> str:
    digest = hmac.new(key.encode(), f"{purpose}:{call_id}:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(key: str, purpose: str, call_id: str, lifetime_seconds: int = LIFETIME_SECONDS,
          now: float | None = None) -> str:
    if not key:
        raise ValueError("CALL_TOKEN_KEY is not set: calls cannot be answered without per-call secrets")
    expires = int((now or time.time()) + lifetime_seconds)
    return f"{expires}.{_mac(key, purpose, call_id, expires)}"


def valid(key: str, token: str, purpose: str, call_id: str, now: float | None = None) -> bool:
    expiry, _, mac = token.partition(".")
    if not key or not expiry.isdigit() or len(expiry) > 12 or int(expiry) < (now or time.time()):
        return False
    return hmac.compare_digest(mac.encode(), _mac(key, purpose, call_id, int(expiry)).encode())
