"""The agents' tools: one activity per tool for orchestrations, and the HTTP endpoint the media path calls."""

from __future__ import annotations

import uuid
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import BadRequestError, bad_request, error_response, json_object, json_response

bp = df.Blueprint()
# Listed here so that registering the activities imports no tool code at cold start;
# a test checks the list against the registry.
TOOL_NAMES = (
    "get_customer_profile", "update_customer_address", "get_purchase_history", "list_products", "get_product",
    "create_order", "search_knowledge_base", "web_search", "send_email", "summarize_conversation", "handoff",
    "transfer_to_human", "end_call",
)


@bp.route(route="sessions", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def open_session(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Opens a session for a verified customer: by phone number (a call) or id (after a web login)."""
    from blueprints.http import parse_body
    from shared.data.access import business_data
    from shared.settings import get_settings
    from shared.tools.runner import sessions
    from shared.tools.session_request import SessionRequest

    try:
        request = parse_body(req, SessionRequest)
    except BadRequestError as error:
        return bad_request(error)
    settings = get_settings()
    customers = (await business_data(settings)).customers
    customer = await (customers.by_phone(request.phone) if request.phone else customers.get(request.customer_id))
    if customer is None:
        return error_response(404, "no customer with this phone number or id")
    session, token = await (await sessions(settings)).open(customer.id, request.channel, request.call_instance_id)
    if request.call_instance_id is None:  # a call brings its own orchestration; a chat gets one here
        from shared.agents.definitions import ENTRY_AGENT
        from shared.calls.tracking import new_state

        await client.start_new("conversation_orchestrator", session.call_instance_id,
                               {"state": new_state(session.id, ENTRY_AGENT)})
    return json_response({"session_id": session.id, "token": token, "customer_id": customer.id,
                          "first_name": customer.first_name, "conversation": session.call_instance_id}, 201)


@bp.route(route="sessions/end", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def end_session(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """The caller hung up or closed the chat: the session's conversation orchestration finishes."""
    from blueprints.calls import end
    from shared.settings import get_settings

    session = await _verified_session(req, get_settings())
    if session is None:
        return error_response(401, "unknown session or wrong x-session-token")
    await end(client, session)
    return json_response({"session_id": session.id, "conversation": session.call_instance_id}, 202)


@bp.route(route="tools", methods=["GET"])
def list_tools(req: func.HttpRequest) -> func.HttpResponse:
    from shared.tools.runner import all_tools

    return json_response([spec.schema() for spec in all_tools().values()])


async def _report(client: df.DurableOrchestrationClient, session: Any, kind: str, calls: list[Any],
                  handoffs: list[str] | None = None) -> None:
    """Tells the session's conversation orchestration what happened; it ends after end_call."""
    from blueprints.calls import track
    from shared.calls.tracking import report

    await track(client, session, report(kind, calls, handoffs))


async def _verified_session(req: func.HttpRequest, settings: Any) -> Any:
    """The session named in x-session-id if x-session-token proves it, else None."""
    from shared.tools.runner import sessions

    return await (await sessions(settings)).verify(req.headers.get("x-session-id", ""),
                                                  req.headers.get("x-session-token", ""))


@bp.route(route="tools/{name}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def call_tool(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Runs a tool for the session named in x-session-id, proven by x-session-token."""
    from shared.settings import get_settings
    from shared.tools.runner import run_tool

    settings = get_settings()
    session = await _verified_session(req, settings)
    if session is None:
        return error_response(401, "unknown session or wrong x-session-token")
    try:
        arguments = json_object(req)
    except BadRequestError as error:
        return bad_request(error)
    name = req.route_params["name"]
    if name not in TOOL_NAMES:
        return error_response(404, f"no tool named {name!r}")
    call_id = req.headers.get("x-tool-call-id") or uuid.uuid4().hex
    result = await run_tool(settings, name, session, arguments, call_id)
    from shared.agents.conversation import ToolCall

    await _report(client, session, "tool", [ToolCall(name=name, arguments=arguments, ok=result.ok)])
    return json_response(result.model_dump(), 400 if result.fields else 200)


@bp.route(route="chat", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def chat(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """One text turn for the session in x-session-id (proven by x-session-token): {"message": "..."}."""
    from shared.agents.chat import chat as chat_turn
    from shared.settings import get_settings

    settings = get_settings()
    session = await _verified_session(req, settings)
    if session is None:
        return error_response(401, "unknown session or wrong x-session-token")
    try:
        message = json_object(req).get("message")
    except BadRequestError:
        message = None
    if not isinstance(message, str) or not message.strip() or len(message) > 4000:
        return error_response(400, "the body must be {\"message\": \"...\"} with 1 to 4000 characters")
    reply = await chat_turn(settings, session, message.strip())
    await _report(client, session, "turn", reply.tool_calls, reply.handoffs)
    return json_response(reply.model_dump(mode="json"))


def _activity(name: str) -> None:
    async def run(work: dict[str, Any]) -> dict[str, Any]:
        from shared.settings import get_settings
        from shared.tools.runner import run_tool, sessions

        settings = get_settings()
        session = await (await sessions(settings)).get(work["session_id"])
        if session is None:
            return {"ok": False, "error": "unknown session"}
        result = await run_tool(settings, name, session, work.get("arguments", {}), work["call_id"])
        return result.model_dump()

    run.__name__ = f"tool_{name}"
    bp.function_name(f"tool_{name}")(bp.activity_trigger(input_name="work")(run))


for _name in TOOL_NAMES:
    _activity(_name)
