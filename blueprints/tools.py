"""The client routes (sessions, tools, chat) the media path and the web backend call, and one activity per tool.

They are anonymous to the Functions host and checked here: the service key opens them, a session's
token proves the conversation. The admin key opens none of them, and the service key no admin route.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import (
    JSON_BYTES,
    KIB,
    NO_BODY,
    BadRequestError,
    error_response,
    json_object,
    json_response,
    refusing,
)
from blueprints.service import service_refusal, session_of

bp = df.Blueprint()
CLIENT = func.AuthLevel.ANONYMOUS  # the service key is checked in the app: see blueprints/service.py
TOOL_CALL_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
CHAT_BYTES = 16 * KIB  # a message is at most 4000 characters
# Listed here so that registering the activities imports no tool code at cold start;
# a test checks the list against the registry.
TOOL_NAMES = (
    "verify_caller", "get_customer_profile", "update_customer_address", "get_purchase_history", "list_products",
    "get_product", "create_order", "search_knowledge_base", "web_search", "send_email", "summarize_conversation",
    "handoff", "transfer_to_human", "end_call",
)


@bp.route(route="sessions", methods=["POST"], auth_level=CLIENT)
@bp.durable_client_input(client_name="client")
@refusing(4 * KIB)
async def open_session(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Opens a session for an identified customer: by phone number (a call) or id (after a web login).
    Identified is not verified: personal tools wait for verify_caller."""
    from blueprints.http import parse_body
    from shared.agents.definitions import ENTRY_AGENT
    from shared.conversation.tracking import new_state
    from shared.data.access import business_data
    from shared.sessions.store import sessions
    from shared.settings import get_settings
    from shared.tools.session_request import SessionRequest

    settings = get_settings()
    if (refusal := service_refusal(req, settings)) is not None:
        return refusal
    request = parse_body(req, SessionRequest, 4 * KIB)
    customers = (await business_data(settings)).customers
    customer = await (customers.by_phone(request.phone) if request.phone else customers.get(request.customer_id))
    if customer is None:
        return error_response(404, "no customer with this phone number or id")
    session, token = await (await sessions(settings)).open(customer.id, request.channel)
    await client.start_new("conversation_orchestrator", session.call_instance_id,
                           {"state": new_state(session.id, ENTRY_AGENT)})
    return json_response({"session_id": session.id, "token": token, "customer_id": customer.id,
                          "first_name": customer.first_name, "conversation": session.call_instance_id,
                          "verified": session.verified, "expires_at": session.expires_at.isoformat()}, 201)


@bp.route(route="sessions/end", methods=["POST"], auth_level=CLIENT)
@bp.durable_client_input(client_name="client")
@refusing(NO_BODY)
async def end_session(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """The caller hung up or closed the chat: the session is revoked and its conversation finishes."""
    from blueprints.conversations import end
    from shared.sessions.store import sessions
    from shared.settings import get_settings

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    await (await sessions(settings)).end(session.id)
    await end(client, session)
    return json_response({"session_id": session.id, "conversation": session.call_instance_id}, 202)


@bp.route(route="sessions/turn", methods=["POST"], auth_level=CLIENT)
@refusing(NO_BODY)
async def caller_turn(req: func.HttpRequest) -> func.HttpResponse:
    """The media path heard the caller finish a turn: read-backs from earlier turns may now be confirmed."""
    from shared.sessions.store import sessions
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    with conversation_span(settings, session.call_instance_id, "conversation.caller_turn"):
        counted = await (await sessions(settings)).count_caller_turn(session.id)
    return json_response({"caller_turn": counted.caller_turn})


@bp.route(route="tools", methods=["GET"], auth_level=CLIENT)
@refusing(NO_BODY)
async def list_tools(req: func.HttpRequest) -> func.HttpResponse:
    from shared.settings import get_settings
    from shared.tools.runner import all_tools

    if (refusal := service_refusal(req, get_settings())) is not None:
        return refusal
    return json_response([spec.schema() for spec in all_tools().values()])


async def _report(client: df.DurableOrchestrationClient, session: Any, kind: str, calls: list[Any],
                  handoffs: list[str] | None = None) -> None:
    """Tells the session's conversation orchestration what happened; it ends after end_call."""
    from blueprints.conversations import track
    from shared.conversation.tracking import report

    await track(client, session, report(kind, calls, handoffs))


@bp.route(route="tools/{name}", methods=["POST"], auth_level=CLIENT)
@bp.durable_client_input(client_name="client")
@refusing(JSON_BYTES)
async def call_tool(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Runs a tool for the session named in x-session-id; x-tool-call-id makes a retried call idempotent."""
    from blueprints.effects import DurableEffects
    from shared.conversation.state import ToolCall
    from shared.settings import get_settings
    from shared.telemetry import conversation_span
    from shared.tools.runner import run_tool

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    name = req.route_params["name"]
    if name not in TOOL_NAMES:
        return error_response(404, f"no tool named {name[:64]!r}")
    call_id = req.headers.get("x-tool-call-id") or uuid.uuid4().hex
    if not TOOL_CALL_ID.match(call_id):
        return error_response(400, "x-tool-call-id must be 1 to 128 letters, digits or _.:-")
    arguments = json_object(req)
    with conversation_span(settings, session.call_instance_id, f"tool {name}", **{"tool.call_id": call_id}) as span:
        result = await run_tool(settings, name, session, arguments, call_id, effects=DurableEffects(client))
        span.set_attributes({"tool.ok": result.ok, "tool.refused": bool(result.refused)})
    await _report(client, session, "tool", [ToolCall(name=name, arguments=arguments, ok=result.ok)])
    return json_response(result.model_dump(), 400 if result.fields else 409 if result.conflict else 200)


async def _chat_turn(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> Any:
    """Runs one text turn: (reply, events), or the response that refuses it."""
    from blueprints.api_models import ChatRequest
    from blueprints.effects import DurableEffects
    from blueprints.http import parse_body
    from shared.conversation.text_chat import chat as chat_turn
    from shared.sessions.store import SessionBusyError
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    message = parse_body(req, ChatRequest, CHAT_BYTES).message.strip()
    if not message:
        raise BadRequestError("the message is empty")
    try:
        with conversation_span(settings, session.call_instance_id, "conversation.turn"):
            reply, events = await chat_turn(settings, session, message, DurableEffects(client))
    except SessionBusyError:
        return error_response(409, "another turn of this conversation is still running; try again shortly")
    await _report(client, session, "turn", reply.tool_calls, reply.handoffs)
    return reply, events


@bp.route(route="chat", methods=["POST"], auth_level=CLIENT)
@bp.durable_client_input(client_name="client")
@refusing(CHAT_BYTES)
async def chat(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """One text turn for the session in x-session-id: {"message": "..."}; turns of one session run one at a time."""
    answered = await _chat_turn(req, client)
    if isinstance(answered, func.HttpResponse):
        return answered
    return json_response(answered[0].model_dump(mode="json"))


@bp.route(route="chat/stream", methods=["POST"], auth_level=CLIENT)
@bp.durable_client_input(client_name="client")
@refusing(CHAT_BYTES)
async def chat_stream(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """The same turn as server-sent events: text deltas with clause ends, tools, handoffs, the turn's end."""
    from shared.conversation.sse import server_sent_events

    answered = await _chat_turn(req, client)
    if isinstance(answered, func.HttpResponse):
        return answered
    return func.HttpResponse(server_sent_events(answered[1]), mimetype="text/event-stream",
                             headers={"Cache-Control": "no-store"})


def _activity(name: str) -> None:
    async def run(work: dict[str, Any]) -> dict[str, Any]:
        from shared.sessions.store import sessions
        from shared.settings import get_settings
        from shared.tools.runner import InlineEffects, run_tool

        settings = get_settings()
        session = await (await sessions(settings)).get(work["session_id"])
        if session is None:
            return {"ok": False, "error": "unknown session"}
        result = await run_tool(settings, name, session, work.get("arguments", {}), work["call_id"],
                                effects=InlineEffects(settings))
        return result.model_dump()

    run.__name__ = f"tool_{name}"
    bp.function_name(f"tool_{name}")(bp.activity_trigger(input_name="work")(run))


for _name in TOOL_NAMES:
    _activity(_name)
