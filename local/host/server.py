"""The host's HTTP surface: /api/<route>, the runtime webhooks and the Durable HTTP API."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import azure.functions as func
from azure.functions import meta
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local.host.blobs import BlobTriggers
from local.host.config import HostConfig, HostKeys
from local.host.durable.api import DurableApi
from local.host.eventgrid import parse_events, validation_code
from local.host.functions import FunctionIndex, FunctionInfo, HttpFunction
from local.host.invoke import FunctionTimeoutError, Invoker
from local.host.web import HostHttpError, error_response, read_body

log = logging.getLogger("host")
Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """Turns host errors into precise 4xx answers and function failures into 500s."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except HostHttpError as error:
            return error_response(error.status, error.message, error.headers)
        except FunctionTimeoutError as error:
            return error_response(504, str(error))
        except Exception as error:
            log.exception("%s %s failed", request.method, request.url.path)
            return error_response(500, f"the function failed: {type(error).__name__}")

    return run


def presented_key(request: Request) -> str | None:
    key = request.headers.get("x-functions-key") or request.query_params.get("code")
    # Keys are ASCII: anything else is no key (and compare_digest refuses to compare it).
    return key if key and key.isascii() else None


def require_key(request: Request, keys: HostKeys, level: str) -> None:
    if not keys.allows(level, presented_key(request)):
        what = "the master key" if level == "admin" else "a valid key"
        where = "in the x-functions-key header or the code query parameter"
        raise HostHttpError(401, f"this endpoint needs {what} {where}")


def http_response(result: Any) -> Response:
    if isinstance(result, func.HttpResponse):
        headers = dict(result.headers)
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = f"{result.mimetype}; charset={result.charset}"
        return Response(result.get_body(), status_code=result.status_code, headers=headers)
    if isinstance(result, str | bytes):
        return Response(result, media_type="text/plain")
    raise TypeError(f"an HTTP function returned {type(result).__name__}; expected HttpResponse or str")


def build_app(
    *,
    index: FunctionIndex,
    config: HostConfig,
    keys: HostKeys,
    invoker: Invoker,
    durable: DurableApi,
    blob_triggers: BlobTriggers,
    lifespan: Any,
) -> Starlette:
    def choose(path: str, method: str) -> tuple[HttpFunction, dict[str, str]]:
        matches = [(h, p) for h in index.http if (p := h.route.match(path)) is not None]
        if not matches:
            raise HostHttpError(404, f"no function serves /{config.route_prefix}/{path}")
        for function, params in matches:
            if function.methods is None or method in function.methods:
                return function, params
        allowed = sorted({m for h, _ in matches for m in h.methods or ()})
        raise HostHttpError(405, f"/{config.route_prefix}/{path} accepts {', '.join(allowed)}",
                            {"Allow": ", ".join(allowed)})

    @guarded
    async def http_trigger(request: Request) -> Response:
        function, route_params = choose(request.path_params["path"], request.method)
        require_key(request, keys, function.auth_level)
        body = await read_body(request, config.max_body_bytes)
        trigger = func.HttpRequest(
            method=request.method,
            url=str(request.url),
            headers=dict(request.headers),
            params=dict(request.query_params),
            route_params=route_params,
            body=body,
        )
        result = await invoker.call(function.info, trigger, describe=lambda r: str(getattr(r, "status_code", 200)))
        return http_response(result)

    def webhook_function(request: Request, trigger_type: str, prefix: str = "") -> FunctionInfo:
        require_key(request, keys, "system")
        name = request.query_params.get("functionName", "")
        info = index.by_name.get(name.removeprefix(prefix))
        if info is None or info.trigger_type != trigger_type:
            raise HostHttpError(404, f"no {trigger_type} function named {name!r}")
        return info

    @guarded
    async def eventgrid(request: Request) -> Response:
        info = webhook_function(request, "eventGridTrigger")
        if request.method == "OPTIONS":  # CloudEvents abuse protection handshake
            origin = request.headers.get("webhook-request-origin", "*")
            return Response(headers={"WebHook-Allowed-Origin": origin, "WebHook-Allowed-Rate": "*"})
        events = parse_events(await read_body(request, config.max_body_bytes))
        code = validation_code(events)
        if code is not None:
            return JSONResponse({"validationResponse": code})
        converter = meta.get_binding_registry().get("eventGridTrigger")
        for item in events:
            await invoker.call(info, converter.decode(meta.Datum(json.dumps(item), "json"), trigger_metadata={}))
        return Response(status_code=202)

    @guarded
    async def blobs(request: Request) -> Response:
        info = webhook_function(request, "blobTrigger", prefix="Host.Functions.")
        events = parse_events(await read_body(request, config.max_body_bytes))
        code = validation_code(events)
        if code is not None:
            return JSONResponse({"validationResponse": code})
        outcomes = [await blob_triggers.deliver(info, item) for item in events]
        return JSONResponse({"outcomes": outcomes}, status_code=202)

    async def ping(_: Request) -> Response:
        return Response(status_code=200)

    prefix = f"/{config.route_prefix}" if config.route_prefix else ""
    routes = [
        Route("/admin/host/ping", ping, methods=["GET", "POST"]),
        Route("/runtime/webhooks/eventgrid", eventgrid, methods=["POST", "OPTIONS"]),
        Route("/runtime/webhooks/blobs", blobs, methods=["POST"]),
        *durable.routes(guarded, lambda request: require_key(request, keys, "system")),
        Route(prefix + "/{path:path}", http_trigger,
              methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
