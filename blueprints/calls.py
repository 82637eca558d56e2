"""Phone calls: IncomingCall from Event Grid, Call Automation callbacks, the media path's call session, and the
activities that hang up and transfer. The call itself is tracked by the conversation orchestration
(blueprints/conversations.py), whose instance id is the call's id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import ID, NO_BODY, BadRequestError, error_response, json_response, refusing

bp = df.Blueprint()
log = logging.getLogger(__name__)
INCOMING_CALL = "Microsoft.Communication.IncomingCall"
CALLBACK_BYTES = 256 * 1024  # an array of CloudEvents
UNTRACKED_WAIT_SECONDS = 2.0


@bp.function_name("incoming_call")
@bp.event_grid_trigger(arg_name="event")
@bp.durable_client_input(client_name="client")
async def incoming_call(event: func.EventGridEvent, client: df.DurableOrchestrationClient) -> None:
    """Answers a call once however often Event Grid delivers it: the first delivery claims it."""
    from shared.calls.answering import take
    from shared.settings import get_settings

    if event.event_type != INCOMING_CALL:
        log.info("event %s of type %s is not a call: ignored", event.id, event.event_type)
        return
    await take(get_settings(), event.get_json(), client)


@bp.route(route="calls/{call_id}/events", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@bp.durable_client_input(client_name="client")
@refusing(CALLBACK_BYTES)
async def call_events(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Call Automation callbacks (CloudEvents), admitted by the call's signed token in `token=`."""
    from shared.calls.callbacks import MalformedCallbackError, parse_callbacks
    from shared.calls.tokens import CALLBACK, valid
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    call_id = req.route_params["call_id"]
    if not ID.match(call_id) or not valid(get_settings().call_token_key, req.params.get("token", ""), CALLBACK,
                                          call_id):
        return error_response(401, "missing, wrong or expired call token")
    try:
        events, skipped = parse_callbacks(json.loads(req.get_body() or b"null"))
    except (ValueError, RecursionError, MalformedCallbackError) as error:
        raise BadRequestError(f"not a Call Automation callback: {error}") from error
    if skipped:
        log.info("call %s: callback types not acted on: %s", call_id, ", ".join(skipped))
    with conversation_span(get_settings(), call_id, "call.callback", **{"call.events": [e.type for e in events]}):
        await _raise_callbacks(client, call_id, events)
    return json_response({"accepted": [e.type for e in events], "ignored": skipped})


async def _raise_callbacks(client: df.DurableOrchestrationClient, call_id: str, events: list[Any]) -> None:
    from shared.conversation.tracking import CALL_EVENTS

    for event in events:
        if event.type not in CALL_EVENTS:  # known, logged, nothing for the orchestration to do
            log.info("call %s: %s (result %d)", call_id, event.type, event.code)
            continue
        try:
            await _raise_when_tracked(client, call_id, event.type, event.as_dict())
        except Exception as error:  # the call's orchestration has finished: nothing left to tell
            log.info("call %s takes no more callbacks (%s): %s", call_id, event.type, error)


async def _raise_when_tracked(client: df.DurableOrchestrationClient, call_id: str, name: str, data: Any) -> None:
    """The orchestration starts right after the answer: a callback that comes first waits for it, briefly."""
    deadline = time.monotonic() + UNTRACKED_WAIT_SECONDS
    while True:
        try:
            return await client.raise_event(call_id, name, data)
        except Exception as error:  # the Durable client says which only in words
            if not str(error).startswith("No instance") or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.02)


@bp.route(route="calls/{call_id}/session", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@refusing(NO_BODY)
async def call_session(req: func.HttpRequest) -> func.HttpResponse:
    """The media path, holding the service key and the call's media token, gets the call's session."""
    from blueprints.service import service_refusal
    from shared.calls.answering import SessionNotOpenError, session_for_media
    from shared.settings import get_settings

    settings = get_settings()
    if (refusal := service_refusal(req, settings)) is not None:
        return refusal
    try:
        opened = await session_for_media(settings, req.route_params["call_id"], req.headers.get("x-media-token", ""))
    except SessionNotOpenError:
        return error_response(409, "the call's session is not open yet: ask again shortly")
    if opened is None:
        return error_response(401, "missing, wrong or expired media token, or no such call")
    return json_response(opened, 201)


@bp.activity_trigger(input_name="call")
async def open_call_session(call: dict[str, Any]) -> dict[str, Any]:
    from shared.calls.answering import open_session
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    with conversation_span(get_settings(), call["id"], "call.open_session"):
        return await open_session(get_settings(), call["id"])


@bp.activity_trigger(input_name="call")
async def hang_up_call(call: dict[str, Any]) -> bool:
    from shared.calls.answering import hang_up
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    with conversation_span(get_settings(), call["id"], "call.hang_up"):
        return await hang_up(get_settings(), call["id"])
