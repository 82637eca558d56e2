"""Request parsing and response shaping shared by the HTTP blueprints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar

import azure.functions as func

if TYPE_CHECKING:  # pydantic loads on the first request, not at cold start
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")


class BadRequestError(Exception):
    """Input refused before anything was written; `fields` names what was wrong."""

    def __init__(self, message: str, fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []


def json_response(body: Any, status_code: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(body, default=str), status_code=status_code, mimetype="application/json")


def error_response(status_code: int, message: str, **details: Any) -> func.HttpResponse:
    return json_response({"error": message, **details}, status_code)


def bad_request(error: BadRequestError) -> func.HttpResponse:
    return error_response(400, str(error), fields=error.fields)


def parse_model(model: type[Model], value: Any) -> Model:
    from pydantic import ValidationError

    try:
        return model.model_validate(value)
    except ValidationError as error:
        fields = [{"field": ".".join(str(p) for p in e["loc"]) or "(body)", "problem": e["msg"]}
                  for e in error.errors()]
        names = ", ".join(f["field"] for f in fields)
        raise BadRequestError(f"invalid {names}", fields) from error


def json_object(req: func.HttpRequest) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}`)."""
    try:
        payload = json.loads(req.get_body() or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequestError(f"the body is not JSON: {error}") from error
    if not isinstance(payload, dict):
        raise BadRequestError("the body must be a JSON object")
    return payload


def parse_body(req: func.HttpRequest, model: type[Model]) -> Model:
    return parse_model(model, json_object(req))


def orchestration_view(status: Any) -> dict[str, Any]:
    """What an admin sees of an orchestration: state, progress (custom status) and result."""
    return {
        "id": status.instance_id,
        "runtimeStatus": status.runtime_status.value if status.runtime_status else None,
        "progress": status.custom_status,
        "result": status.output,
        "createdTime": status.created_time,
        "lastUpdatedTime": status.last_updated_time,
    }
