"""Taking a call: claim it, answer it with media streaming, then start its orchestration, which opens the
caller's session while the call connects.

Only the claim comes before the answer (callers hear the ringing): the orchestration starts after it, so
neither its start nor its first episode delays the answer, and a callback that comes before it exists is
held until it does (blueprints/calls.py). Nothing heavy is imported on the way. The session is opened by
the server from the caller's number: identified, not verified.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from opentelemetry.trace import Span

from shared.calls import automation, tokens
from shared.calls.incoming import IncomingCall, NotACallError, parse_incoming
from shared.calls.records import call_records
from shared.settings import Settings
from shared.telemetry import conversation_span

log = logging.getLogger(__name__)


class Orchestrations(Protocol):
    """What taking a call needs of the Durable client."""

    async def start_new(self, orchestration_function_name: str, instance_id: str | None = None,
                        client_input: Any | None = None) -> str: ...

    async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None,
                          task_hub_name: str | None = None, connection_name: str | None = None) -> None: ...


class SessionNotOpenError(RuntimeError):
    """The call is answered but its session is not open yet: ask again shortly."""


async def take(settings: Settings, data: Any, orchestrations: Orchestrations) -> str | None:
    """Answers the call in an IncomingCall event's data; returns its id, or None for a repeated delivery
    or a call that could not be answered."""
    try:
        call = parse_incoming(data)
    except NotACallError as error:
        log.warning("an IncomingCall event was refused: %s", error)
        return None
    with conversation_span(settings, call.call_id, "call.answer") as span:
        return await _answer(settings, call, orchestrations, span)


async def _answer(settings: Settings, call: IncomingCall, orchestrations: Orchestrations, span: Span) -> str | None:
    from shared.conversation.tracking import ANSWERED_EVENT

    if not await (await call_records(settings)).claim(call.call_id, call.caller):
        log.info("call %s was already taken: repeated delivery ignored", call.call_id)
        span.set_attribute("call.repeated_delivery", True)
        return None
    key = settings.call_token_key
    callback = (f"{settings.callback_base_url}/api/calls/{call.call_id}/events"
                f"?token={tokens.issue(key, tokens.CALLBACK, call.call_id)}")
    media = (f"{settings.media_base_url.rstrip('/')}/media/{call.call_id}"
             f"?token={tokens.issue(key, tokens.MEDIA, call.call_id)}")
    try:
        connection_id = await automation.answer(settings, call.context, callback, media)
    except Exception as error:  # a redelivery would find the call claimed: end it here, recorded
        log.warning("call %s could not be answered: %s", call.call_id, type(error).__name__)
        span.record_exception(error)
        await _track(settings, call, orchestrations)
        await orchestrations.raise_event(call.call_id, "AnswerFailed", {"reason": type(error).__name__})
        return None
    await (await call_records(settings)).answered(call.call_id, connection_id)
    try:
        await _track(settings, call, orchestrations)
    except Exception:  # an answered call nobody tracks would be dead air: end it
        await automation.hang_up(settings, connection_id)
        raise
    await orchestrations.raise_event(call.call_id, ANSWERED_EVENT, {"connection_id": connection_id})
    log.info("call %s answered (connection %s)", call.call_id, connection_id)
    return call.call_id


async def _track(settings: Settings, call: IncomingCall, orchestrations: Orchestrations) -> None:
    """Starts the call's orchestration, ringing until it is told how the answer went."""
    from shared.agents.definitions import ENTRY_AGENT
    from shared.conversation.tracking import new_state

    timing = {"connect_seconds": settings.call_connect_seconds, "farewell_seconds": settings.call_farewell_seconds}
    await orchestrations.start_new("conversation_orchestrator", call.call_id, {"state": new_state(
        "", ENTRY_AGENT, "phone", call={"id": call.call_id, **timing})})


async def open_session(settings: Settings, call_id: str) -> dict[str, Any]:
    """The call's session, for the caller identified by number (identified, not verified); once per call."""
    from shared.data.access import business_data
    from shared.sessions.store import sessions

    records = await call_records(settings)
    record = await records.get(call_id)
    if record is None:
        raise RuntimeError(f"no record of call {call_id}")
    if record.session_id is None:
        customer = await (await business_data(settings)).customers.by_phone(record.caller)
        session, _ = await (await sessions(settings)).open(customer.id if customer else "", "phone",
                                                           orchestration=call_id)
        await records.with_session(call_id, session.id)
        record = record.model_copy(update={"session_id": session.id})
    session = await (await sessions(settings)).get(record.session_id)
    return {"session_id": record.session_id, "known_caller": bool(session and session.customer_id)}


async def session_for_media(settings: Settings, call_id: str, media_token: str) -> dict[str, Any] | None:
    """The call's session with a fresh token, for the media path that proves the call's media token."""
    from shared.data.access import business_data
    from shared.sessions.store import sessions

    if not tokens.valid(settings.call_token_key, media_token, tokens.MEDIA, call_id):
        return None
    record = await (await call_records(settings)).get(call_id)
    if record is None:
        return None
    if record.session_id is None:  # answered; the orchestration is opening its session right now
        raise SessionNotOpenError(call_id)
    session, token = await (await sessions(settings)).new_token(record.session_id)
    data = await business_data(settings)
    customer = await data.customers.get(session.customer_id) if session.customer_id else None
    company = await data.companies.current()
    # What the agents' instructions are filled with, as the chat fills them (shared/conversation/text_chat.py).
    facts = {"company": company.name if company else "our company",
             "customer": customer.model_dump(mode="json", exclude={"date_of_birth"}) if customer else {}}
    return {"session_id": session.id, "token": token, "customer_id": session.customer_id,
            "first_name": customer.first_name if customer else "", "verified": session.verified,
            "conversation": session.call_instance_id, "facts": facts}


async def hang_up(settings: Settings, call_id: str) -> bool:
    """False when there is nothing to hang up (never answered, or already gone)."""
    record = await (await call_records(settings)).get(call_id)
    if record is None or record.connection_id is None:
        return False
    try:
        await automation.hang_up(settings, record.connection_id)
    except Exception as error:  # the caller hung up first: the call is gone either way
        if getattr(error, "status_code", None) != 404:
            raise
        return False
    return True


async def transfer(settings: Settings, call_id: str) -> dict[str, Any]:
    """Asks ACS to transfer the call to the human line; {"ok": False, "reason"} leaves the caller with the agent."""
    record = await (await call_records(settings)).get(call_id)
    if not settings.human_agent_phone:
        return {"ok": False, "reason": "no human line is configured (HUMAN_AGENT_PHONE)"}
    if record is None or record.connection_id is None:
        return {"ok": False, "reason": "the call is not connected"}
    try:
        await automation.transfer(settings, record.connection_id, settings.human_agent_phone)
    except Exception as error:
        log.warning("call %s: the transfer was refused: %s", call_id, type(error).__name__)
        return {"ok": False, "reason": "the transfer was refused"}
    return {"ok": True}
