"""Request parsing and response shaping shared by the HTTP blueprints.

Everything taken from a request is checked here before it reaches storage, a URL or a header:
bodies against a per-route size limit and as JSON, ids against a pattern, query parameters
without the `code` key the host reads.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import azure.functions as func

if TYPE_CHECKING:  # pydantic loads on the first request, not at cold start
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")
Handler = Callable[..., Awaitable[func.HttpResponse]]

KIB = 1024
# Per-route body limits; the host's own (100 MB in Azure) is far above any of them.
NO_BODY = KIB  # routes that take no body (room for a client that sends `{}` anyway)
JSON_BYTES = 64 * KIB  # a JSON request: a spec, a chat message, tool arguments
MULTIPART_OVERHEAD = 64 * KIB  # form boundaries and part headers around an uploaded file
# Durable instance ids, customer ids: what our own ids look like, nothing that changes a URL.
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
KEY_PARAMETER = "code"  # the host's key, never one of the route's own parameters


class BadRequestError(Exception):
    """Input refused before anything was written; `fields` names what was wrong."""

    status = 400

    def __init__(self, message: str, fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []


class BodyTooLargeError(BadRequestError):
    status = 413


def json_response(body: Any, status_code: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(body, default=str), status_code=status_code, mimetype="application/json")


def error_response(status_code: int, message: str, **details: Any) -> func.HttpResponse:
    return json_response({"error": message, **details}, status_code)


def bad_request(error: BadRequestError) -> func.HttpResponse:
    """The refusal: 400, or the error's own status (413 for a body over the limit)."""
    return error_response(error.status, str(error), fields=error.fields)


def refusing(max_bytes: int | Callable[[], int] = NO_BODY) -> Callable[[Handler], Handler]:
    """Decorates a route: a body over `max_bytes` gets 413 before the handler runs, and a
    BadRequestError raised by the handler becomes its 4xx answer."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(req: func.HttpRequest, *args: Any, **kwargs: Any) -> func.HttpResponse:
            try:
                check_size(req, max_bytes() if callable(max_bytes) else max_bytes)
                return await handler(req, *args, **kwargs)
            except BadRequestError as error:
                return bad_request(error)

        return run

    return decorate


def check_size(req: func.HttpRequest, max_bytes: int) -> None:
    size = len(req.get_body() or b"")
    if size > max_bytes:
        raise BodyTooLargeError(f"the body has {size} bytes; this route accepts at most {max_bytes} bytes")


def upload_bytes() -> int:
    """The body limit of a document upload: the document limit (MAX_DOCUMENT_BYTES) and its form."""
    from shared.settings import get_settings

    return get_settings().max_document_bytes + MULTIPART_OVERHEAD


def parse_model(model: type[Model], value: Any) -> Model:
    from pydantic import ValidationError

    try:
        return model.model_validate(value)
    except ValidationError as error:
        fields = [{"field": ".".join(str(p) for p in e["loc"]) or "(body)", "problem": e["msg"]}
                  for e in error.errors()]
        names = ", ".join(f["field"] for f in fields)
        raise BadRequestError(f"invalid {names}", fields) from error


def json_object(req: func.HttpRequest, max_bytes: int = JSON_BYTES) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}`); 413 past `max_bytes`, 400 if it is not
    JSON, too deeply nested, has a number of more than 4300 digits or a lone UTF-16 surrogate."""
    check_size(req, max_bytes)
    try:
        payload = json.loads(req.get_body() or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequestError(f"the body is not JSON: {error}") from error
    except RecursionError as error:
        raise BadRequestError("the body is nested too deeply") from error
    except ValueError as error:  # Python's limit on integer digits
        raise BadRequestError(f"the body has a number with too many digits: {error}") from error
    if not isinstance(payload, dict):
        raise BadRequestError("the body must be a JSON object")
    try:  # a lone surrogate ("\ud800") decodes but can never be stored or sent on as UTF-8
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError as error:
        raise BadRequestError("the body has a lone UTF-16 surrogate (\\ud800-\\udfff) in a string") from error
    except RecursionError as error:
        raise BadRequestError("the body is nested too deeply") from error
    return payload


def parse_body(req: func.HttpRequest, model: type[Model], max_bytes: int = JSON_BYTES) -> Model:
    return parse_model(model, json_object(req, max_bytes))


def query(req: func.HttpRequest, model: type[Model]) -> Model:
    """The query parameters as `model`, without the key the host takes as `code=`."""
    return parse_model(model, {k: v for k, v in req.params.items() if k != KEY_PARAMETER})


def checked_id(value: str, what: str = "id") -> str:
    """An id from a request, refused unless it looks like ours: it goes into URLs and storage paths."""
    if not ID.match(value):
        raise BadRequestError(f"{what} {value[:140]!r}: use 1 to 128 letters, digits and _ . : - "
                              "starting with a letter or digit")
    return value


def route_id(req: func.HttpRequest, name: str) -> str:
    return checked_id(req.route_params[name], name.replace("_", " "))

