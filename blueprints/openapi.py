"""The OpenAPI document of every HTTP route, built from the same pydantic models the routes validate
their input with (requests) and build their answers with (blueprints/api_models.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

# Admin routes take the master key, in a header or the `code` query parameter (either one).
MASTER_KEY = [{"masterKeyHeader": []}, {"masterKeyQuery": []}]
SERVICE_KEY = [{"serviceKey": []}]  # the voice and chat front ends
SESSION = [{"serviceKey": [], "sessionId": [], "sessionToken": []}]  # ... acting for one session
PUBLIC: list[dict[str, list[str]]] = []
SECURITY_SCHEMES = {
    "masterKeyHeader": {"type": "apiKey", "in": "header", "name": "x-functions-key"},
    "masterKeyQuery": {"type": "apiKey", "in": "query", "name": "code"},
    "serviceKey": {"type": "apiKey", "in": "header", "name": "x-service-key"},
    "sessionId": {"type": "apiKey", "in": "header", "name": "x-session-id",
                  "description": "the session_id POST /api/sessions answered (ses- and 32 hex digits)"},
    "sessionToken": {"type": "apiKey", "in": "header", "name": "x-session-token",
                     "description": "the token POST /api/sessions answered with the session"},
}
# (description, what the body is): a model, models it may be one of, a raw schema, or None for no body.
Response = tuple[str, Any]


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    security: list[dict[str, list[str]]]
    responses: dict[int, Response]
    body: Any = None  # a request model or a raw schema
    media: str = "application/json"
    answers: str = "application/json"  # the media type of a success; refusals are always JSON
    parameters: list[dict[str, Any]] = field(default_factory=list)


def _path(name: str, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    if pattern:
        schema["pattern"] = pattern
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(model: type[BaseModel]) -> list[dict[str, Any]]:
    """A query-parameter model's fields as OpenAPI parameters (scalars only, as query strings are)."""
    schema = model.model_json_schema()
    parameters = []
    for name, prop in schema["properties"].items():
        # An optional parameter is one left out: its `null` alternative has no query-string form.
        options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
        value = {k: v for k, v in {**prop, **options[0]}.items()
                 if k not in ("title", "anyOf") and (k, v) != ("default", None)}
        parameters.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "schema": value})
    return parameters


def operations() -> list[Operation]:
    from blueprints import api_models as m
    from blueprints.http import ID
    from shared.conversation.transcript import TranscriptLines
    from shared.data.paging import PageRequest
    from shared.knowledge.documents import NAME
    from shared.knowledge.query import SearchRequest
    from shared.synthetic.spec import CompanySpec
    from shared.tools.session_request import SessionRequest

    refused = ("the request was refused: `error` says why, `fields` names bad fields", m.ErrorBody)
    no_key = ("no key, or not the key this route takes", m.ErrorBody)
    too_large = ("the body is over this route's limit", m.ErrorBody)
    missing = ("not found", m.ErrorBody)
    admin = {401: no_key, 413: too_large}
    client = {401: ("no or wrong x-service-key, or an unknown session or wrong x-session-token", m.ErrorBody),
              413: too_large}
    run_id, instance_id = [_path("run_id", ID.pattern)], [_path("instance_id", ID.pattern)]
    customer_id, name = [_path("customer_id", ID.pattern)], [_path("name", NAME.pattern)]
    upload = {"type": "object", "required": ["file"],
              "properties": {"file": {"type": "string", "format": "binary",
                                      "description": "PDF, DOCX, TXT or MD, at most MAX_DOCUMENT_BYTES"}}}
    call_token = {"name": "token", "in": "query", "required": True, "description": "the call's callback token",
                  "schema": {"type": "string"}}
    media_token = {"name": "x-media-token", "in": "header", "required": True,
                   "description": "the token of the call's media URL", "schema": {"type": "string"}}
    tool_call_id = {"name": "x-tool-call-id", "in": "header", "required": False,
                    "description": "makes a retried call idempotent",
                    "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,128}$"}}
    return [
        Operation("get", "/api/health", "Each dependency up, down or absent, and the mode", PUBLIC,
                  {200: ("healthy", m.Health), 503: ("something configured is down", m.Health)}),
        Operation("get", "/api/openapi.json", "This document", PUBLIC,
                  {200: ("the OpenAPI document", {"type": "object"})}),
        Operation("post", "/api/admin/synthetic", "Generate a synthetic company (a Durable orchestration)",
                  MASTER_KEY, {202: ("started: the run id and its status URL", m.RunStarted), 400: refused,
                               409: ("a company exists: DELETE /api/admin/company first", m.ErrorBody), **admin},
                  body=CompanySpec),
        Operation("get", "/api/admin/synthetic/{run_id}", "A generation run's state, progress per kind and result",
                  MASTER_KEY, {200: ("the run", m.OrchestrationView), 400: refused, 404: missing, **admin},
                  parameters=run_id),
        Operation("post", "/api/admin/synthetic/{run_id}/cancel", "Cancel a generation run", MASTER_KEY,
                  {202: ("cancelling", m.Cancelling), 400: refused, 404: missing,
                   409: ("the run is not running", m.ErrorBody), **admin}, parameters=run_id),
        Operation("get", "/api/admin/company", "The company and the state of its generation", MASTER_KEY,
                  {200: ("the company", m.CompanyView), 404: ("no company yet", m.ErrorBody), **admin}),
        Operation("delete", "/api/admin/company", "Delete the company and all its data", MASTER_KEY,
                  {204: ("deleted", None), 409: ("a run is still generating: cancel it first", m.ErrorBody),
                   **admin}),
        Operation("get", "/api/admin/customers", "A page of customers", MASTER_KEY,
                  {200: ("items and the continuation of the next page", m.CustomerPage), 400: refused, **admin},
                  parameters=_query(PageRequest)),
        Operation("get", "/api/admin/customers/{customer_id}", "One customer", MASTER_KEY,
                  {200: ("the customer", m.Customer), 400: refused, 404: missing, **admin}, parameters=customer_id),
        Operation("delete", "/api/admin/customers/{customer_id}",
                  "Delete a customer with their purchases and conversations", MASTER_KEY,
                  {200: ("what was deleted", m.CustomerDeleted), 400: refused, 404: missing, **admin},
                  parameters=customer_id),
        Operation("get", "/api/admin/products", "The product catalog", MASTER_KEY,
                  {200: ("the products", m.ProductList), **admin}),
        Operation("get", "/api/admin/dashboard", "Conversations by topic, product, agent, sentiment, outcome and day",
                  MASTER_KEY, {200: ("the figures and the company", m.Dashboard), **admin}),
        Operation("post", "/api/admin/dashboard/rebuild",
                  "Recount the dashboard from every conversation (a repair; reads them all)", MASTER_KEY,
                  {200: ("the recounted figures", m.DashboardFigures), **admin}),
        Operation("get", "/api/admin/outbox", "Emails as the local SMTP server received them",
                  MASTER_KEY, {200: ("the newest first", m.Outbox), 400: refused, **admin},
                  parameters=_query(PageRequest)[:1]),
        Operation("post", "/api/admin/documents", "Upload a knowledge document; a blob trigger indexes it",
                  MASTER_KEY, {202: ("stored; indexing follows", m.DocumentUploaded), 400: refused,
                               415: ("not a PDF, DOCX, TXT or MD file", m.ErrorBody), **admin},
                  body=upload, media="multipart/form-data"),
        Operation("get", "/api/admin/documents", "Every document and its state", MASTER_KEY,
                  {200: ("the documents", m.DocumentList), **admin}),
        Operation("get", "/api/admin/documents/{name}",
                  "A document's state: uploaded, indexing, indexed (chunks) or failed (reason)", MASTER_KEY,
                  {200: ("the state", m.DocumentStatus), 400: refused, 404: missing, **admin}, parameters=name),
        Operation("delete", "/api/admin/documents/{name}", "Delete a document, its file and its chunks",
                  MASTER_KEY, {200: ("what was deleted", m.DocumentDeleted), 400: refused, 404: missing, **admin},
                  parameters=name),
        Operation("get", "/api/admin/search", "Hybrid search of the knowledge base; each hit cites document and page",
                  MASTER_KEY, {200: ("the hits", m.SearchAnswer), 400: refused, **admin},
                  parameters=_query(SearchRequest)),
        Operation("post", "/api/admin/diagnostics", "Check every dependency (a Durable orchestration)", MASTER_KEY,
                  {202: ("started: the run's status links", m.CheckStatusLinks), **admin}),
        Operation("get", "/api/admin/diagnostics/{instance_id}", "A diagnostics run's progress and result",
                  MASTER_KEY, {200: ("the run", m.OrchestrationView), 400: refused, 404: missing, **admin},
                  parameters=instance_id),
        Operation("post", "/api/sessions", "Open a session for a verified customer (a call or a web chat)",
                  SERVICE_KEY, {201: ("the session and its secret token", m.SessionOpened), 400: refused,
                                404: ("no customer with this phone number or id", m.ErrorBody), **client},
                  body=SessionRequest),
        Operation("post", "/api/sessions/end", "The caller hung up or closed the chat", SESSION,
                  {202: ("the conversation orchestration finishes", m.SessionEnded), **client}),
        Operation("post", "/api/sessions/turn", "The media path reports one caller turn", SESSION,
                  {200: ("the caller's turn number", m.CallerTurn), **client}),
        Operation("post", "/api/sessions/transcript", "The media path reports transcript lines of a call "
                  "(speaker, agent, text, time) and the agents handed to", SESSION,
                  {200: ("the lines kept, and the caller's turns so far", m.TranscriptKept), 400: refused, **client},
                  body=TranscriptLines),
        Operation("post", "/api/sessions/proposals/drop", "The media path drops the read-backs of an answer the "
                  "caller interrupted: they can no longer be confirmed", SESSION,
                  {200: ("how many were dropped", m.ProposalsDropped), 400: refused, **client},
                  body=m.DroppedProposals),
        Operation("get", "/api/tools", "The tools' schemas (OpenAI function definitions)", SERVICE_KEY,
                  {200: ("the tools", {"type": "array", "items": {"type": "object"}}), **client}),
        Operation("post", "/api/tools/{name}", "Run a tool for the session's customer; the body is its arguments",
                  SESSION, {200: ("what the tool did", m.ToolResult),
                            400: ("invalid arguments, body or x-tool-call-id", (m.ToolResult, m.ErrorBody)),
                            404: ("no tool with this name", m.ErrorBody),
                            409: ("this x-tool-call-id came before with other arguments", m.ToolResult),
                            **client},
                  body={"type": "object"}, parameters=[_path("name", r"^[a-z_]{1,64}$"), tool_call_id]),
        Operation("post", "/api/chat", "One text turn: reply, active agent, handoffs, tool calls, citations", SESSION,
                  {200: ("the reply", m.ChatReply), 400: refused,
                   409: ("another turn of this session is still running", m.ErrorBody), **client},
                  body=m.ChatRequest),
        Operation("post", "/api/chat/stream", "The same turn as server-sent events: text deltas with clause ends, "
                  "tool calls, handoffs, the turn's end", SESSION,
                  {200: ("the events", {"type": "string"}), 400: refused,
                   409: ("another turn of this session is still running", m.ErrorBody), **client},
                  body=m.ChatRequest, answers="text/event-stream"),
        Operation("post", "/api/calls/{call_id}/events", "Call Automation callbacks (CloudEvents) for one call, "
                  "admitted by the call's signed token", PUBLIC,
                  {200: ("what was acted on and what was ignored", m.CallbacksAccepted), 400: refused,
                   401: ("no, a wrong or an expired call token", m.ErrorBody), 413: too_large},
                  body={"type": "array", "items": {"type": "object"}},
                  parameters=[_path("call_id", ID.pattern), call_token]),
        Operation("post", "/api/calls/{call_id}/session", "The media path gets the call's session, proving the "
                  "call's media token", SERVICE_KEY,
                  {201: ("the session with a fresh token", m.CallSession),
                   401: ("no or wrong x-service-key, or a wrong, expired media token", m.ErrorBody),
                   409: ("the call is answered but its session is not open yet: ask again shortly", m.ErrorBody),
                   413: too_large}, parameters=[_path("call_id", ID.pattern), media_token]),
    ]


def _models(found: list[Operation]) -> list[tuple[type[BaseModel], str]]:
    """Every (model, mode) the operations name: requests are validated, responses serialized."""
    pairs: dict[tuple[type[BaseModel], str], None] = {}
    for operation in found:
        if isinstance(operation.body, type):
            pairs[(operation.body, "validation")] = None
        for _, model in operation.responses.values():
            for one in model if isinstance(model, tuple) else (model,):
                if isinstance(one, type):
                    pairs[(one, "serialization")] = None
    return list(pairs)


def document() -> dict[str, Any]:
    from pydantic.json_schema import models_json_schema

    found = operations()
    refs, schemas = models_json_schema(_models(found), ref_template="#/components/schemas/{model}")

    def schema_of(model: Any, mode: str) -> dict[str, Any]:
        if isinstance(model, tuple):
            return {"anyOf": [schema_of(one, mode) for one in model]}
        return refs[(model, mode)] if isinstance(model, type) else model

    paths: dict[str, dict[str, Any]] = {}
    for operation in found:
        responses = {str(status): {"description": description} if model is None else {
            "description": description, "content": {
                operation.answers if status < 300 else "application/json": {"schema": schema_of(model,
                                                                                               "serialization")}}}
            for status, (description, model) in sorted(operation.responses.items())}
        entry: dict[str, Any] = {"summary": operation.summary, "operationId": _operation_id(operation),
                                 "security": operation.security, "responses": responses}
        if operation.parameters:
            entry["parameters"] = operation.parameters
        if operation.body is not None:
            entry["requestBody"] = {"required": True, "content": {
                operation.media: {"schema": schema_of(operation.body, "validation")}}}
        paths.setdefault(operation.path, {})[operation.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Call-center voice agents API", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {}), "securitySchemes": SECURITY_SCHEMES},
    }


def _operation_id(operation: Operation) -> str:
    words = [w.strip("{}").replace(".", "_") for w in operation.path.removeprefix("/api/").split("/")]
    return "_".join([operation.method, *words])
