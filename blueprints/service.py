"""Who may call the client routes: the service key (held by the media container and the web backend,
never by a browser) and, for a conversation, the session's token."""

from __future__ import annotations

import hmac
from typing import Any

import azure.functions as func

from blueprints.http import error_response


def service_refusal(req: func.HttpRequest, settings: Any) -> func.HttpResponse | None:
    """A 401 unless x-service-key is the configured service key (none configured: nobody gets in)."""
    given, expected = req.headers.get("x-service-key", ""), settings.service_key
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return error_response(401, "missing or wrong x-service-key")
    return None


async def session_of(req: func.HttpRequest, settings: Any) -> Any:
    """The session named in x-session-id if the service key and x-session-token prove it, else a 401."""
    from shared.sessions.store import sessions

    refusal = service_refusal(req, settings)
    if refusal is not None:
        return refusal
    session = await (await sessions(settings)).authenticate(req.headers.get("x-session-id", ""),
                                                           req.headers.get("x-session-token", ""))
    if session is None:
        return error_response(401, "unknown, ended or expired session, or wrong x-session-token")
    return session
