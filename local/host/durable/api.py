"""The Durable Functions HTTP API at the extension's paths.

The SDK's durable client calls it at `rpcBaseUrl` (here a path holding a per-process secret,
as the extension's RPC endpoint is private to the host); people and status links use the public
`/runtime/webhooks/durabletask` paths, which take the system key.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local.host.durable.engine import DurableError, Engine
from local.host.durable.history import iso, parse_iso, utc_now
from local.host.durable.store import RUNTIME_STATUSES, InstanceFilter
from local.host.web import HostHttpError, read_body

log = logging.getLogger("host.durable")
PUBLIC = "/runtime/webhooks/durabletask"
CONTINUATION = "x-ms-continuation-token"
PAGE_SIZE = 100  # the extension's default page
# As the extension answers: 202 while it runs, 200 once it ended (Failed too, unless asked for 500).
STATUS_CODES = {"Pending": 202, "Running": 202, "Suspended": 202}
Handler = Callable[[Request], Awaitable[Response]]


class DurableApi:
    def __init__(self, engine: Engine, base_url: str, hub: str, system_key: str, max_body_bytes: int) -> None:
        self._engine = engine
        self._base_url = base_url.rstrip("/")
        self._hub = hub
        self._system_key = system_key
        self._max_body = max_body_bytes
        self._rpc_secret = secrets.token_urlsafe(24)

    def client_json(self) -> str:
        """What a `durableClient` binding receives: the URLs the SDK's client uses."""
        query = f"taskHub={self._hub}&connection=Storage&code={self._system_key}"
        instance = f"{self._base_url}{PUBLIC}/instances/INSTANCEID"
        create = f"{self._base_url}{PUBLIC}/orchestrators/{{functionName}}[/{{instanceId}}]"
        wait = "timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}"
        return json.dumps({
            "taskHubName": self._hub,
            "creationUrls": {
                "createNewInstancePostUri": f"{create}?code={self._system_key}",
                "createAndWaitOnNewInstancePostUri": f"{create}?{wait}&code={self._system_key}",
            },
            "managementUrls": self._management_urls(instance, query) | {"id": "INSTANCEID"},
            "baseUrl": f"{self._base_url}{PUBLIC}",
            "requiredQueryStringParameters": f"code={self._system_key}",
            "rpcBaseUrl": f"{self._base_url}/runtime/rpc/{self._rpc_secret}/durabletask/",
        })

    @staticmethod
    def _management_urls(instance: str, query: str) -> dict[str, str]:
        return {
            "statusQueryGetUri": f"{instance}?{query}",
            "sendEventPostUri": f"{instance}/raiseEvent/{{eventName}}?{query}",
            "terminatePostUri": f"{instance}/terminate?reason={{text}}&{query}",
            "rewindPostUri": f"{instance}/rewind?reason={{text}}&{query}",
            "purgeHistoryDeleteUri": f"{instance}?{query}",
            "restartPostUri": f"{instance}/restart?{query}",
            "suspendPostUri": f"{instance}/suspend?reason={{text}}&{query}",
            "resumePostUri": f"{instance}/resume?reason={{text}}&{query}",
        }

    def routes(
        self, guarded: Callable[[Handler], Handler], require_system_key: Callable[[Request], None]
    ) -> list[Route]:
        def public(request: Request) -> None:
            require_system_key(request)

        def rpc(request: Request) -> None:
            if not secrets.compare_digest(request.path_params.get("secret", ""), self._rpc_secret):
                raise HostHttpError(401, "unknown RPC secret")

        found: list[Route] = []
        for prefix, check in ((PUBLIC, public), ("/runtime/rpc/{secret}/durabletask", rpc)):
            def bind(handler: Handler, check: Callable[[Request], None] = check) -> Handler:
                async def run(request: Request) -> Response:
                    check(request)
                    try:
                        return await handler(request)
                    except DurableError as error:
                        # The SDK's client reads the extension's field name.
                        message = str(error)
                        body = message if error.bare else {"error": message, "ExceptionMessage": message}
                        return JSONResponse(body, error.status)
                return guarded(run)

            found += [
                Route(prefix + "/orchestrators/{name}", bind(self._start), methods=["POST"]),
                Route(prefix + "/orchestrators/{name}/{instance_id}", bind(self._start), methods=["POST"]),
                Route(prefix + "/instances", bind(self._list), methods=["GET"]),
                Route(prefix + "/instances/", bind(self._list), methods=["GET"]),  # the SDK's spelling
                Route(prefix + "/instances", bind(self._purge_by), methods=["DELETE"]),
                Route(prefix + "/instances/", bind(self._purge_by), methods=["DELETE"]),
                Route(prefix + "/instances/{instance_id}", bind(self._status), methods=["GET"]),
                Route(prefix + "/instances/{instance_id}", bind(self._purge), methods=["DELETE"]),
                Route(prefix + "/instances/{instance_id}/raiseEvent/{event}", bind(self._raise), methods=["POST"]),
                Route(prefix + "/instances/{instance_id}/{operation}", bind(self._operate), methods=["POST"]),
                Route(prefix + "/entities/{rest:path}", bind(self._entities), methods=["GET", "POST", "DELETE"]),
            ]
        return found

    async def _body_json(self, request: Request) -> tuple[str, object] | None:
        """The body's text and the value it holds, as the extension reads it: parsed once, never unwrapped.

        (The SDK's client double-encodes, so what it sends arrives as a JSON string holding JSON.)
        """
        body = await read_body(request, self._max_body)
        if not body.strip():
            return None
        try:
            text = body.decode()
            return text, json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise HostHttpError(400, f"Invalid JSON content: {error}") from error

    async def _start(self, request: Request) -> Response:
        body = await self._body_json(request)
        # The extension keeps the body's text as the orchestration's input.
        instance_id = self._engine.start_new(
            request.path_params["name"], request.path_params.get("instance_id"), body[0] if body else None
        )
        return self._check_status(request, instance_id)

    def _check_status(self, request: Request, instance_id: str) -> Response:
        """The extension's 202 check-status answer: the instance's links, each carrying the system key."""
        origin = f"{request.url.scheme}://{request.url.netloc}"
        query = f"taskHub={self._hub}&connection=Storage&code={self._system_key}"
        urls = self._management_urls(f"{origin}{PUBLIC}/instances/{quote(instance_id, safe='')}", query)
        return JSONResponse({"id": instance_id, **urls}, status_code=202,
                            headers={"Location": urls["statusQueryGetUri"], "Retry-After": "10"})

    async def _status(self, request: Request) -> Response:
        show_history = request.query_params.get("showHistory", "").lower() == "true"
        body = self._engine.status(request.path_params["instance_id"], show_history)
        if "historyEvents" in body and request.url.path.startswith("/runtime/rpc/"):
            body["history"] = body.pop("historyEvents")  # the SDK's name for it
        code = STATUS_CODES.get(body["runtimeStatus"], 200)
        if body["runtimeStatus"] == "Failed" and _flag(request, "returnInternalServerErrorOnFailure"):
            code = 500
        return JSONResponse(body, status_code=code)

    async def _list(self, request: Request) -> Response:
        top = request.query_params.get("top", str(PAGE_SIZE))
        if not top.isdigit() or int(top) == 0:
            raise HostHttpError(400, f"top={top!r} is not a positive number")
        page, token = self._engine.query(
            _filter(request), int(top), request.headers.get(CONTINUATION, "") or None
        )
        headers = {CONTINUATION: token} if token else {}
        return JSONResponse(page, headers=headers)

    async def _purge_by(self, request: Request) -> Response:
        wanted = _filter(request)
        if wanted.created_from is None:
            raise HostHttpError(400, "Please provide value for 'createdTimeFrom' parameter.")
        deleted = self._engine.purge_by(replace(wanted, created_to=wanted.created_to or iso(utc_now())))
        if deleted == 0:
            raise HostHttpError(404, "no finished instance matches the filter")
        return JSONResponse({"instancesDeleted": deleted})

    async def _raise(self, request: Request) -> Response:
        instance_id, name = request.path_params["instance_id"], request.path_params["event"]
        self._engine.require_running(instance_id)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise HostHttpError(400, "Only application/json request content is supported")
        body = await self._body_json(request)
        if body is None:
            raise HostHttpError(400, "Invalid JSON content: the body is empty")
        # The extension stores the value it parsed, serialized again: a JSON string stays a string.
        self._engine.raise_event(instance_id, name, json.dumps(body[1], separators=(",", ":")))
        return Response(status_code=202)

    async def _operate(self, request: Request) -> Response:
        instance_id, operation = request.path_params["instance_id"], request.path_params["operation"]
        reason = request.query_params.get("reason", "")
        match operation.lower():
            case "terminate":
                self._engine.terminate(instance_id, reason)
            case "suspend":
                self._engine.suspend(instance_id, reason)
            case "resume":
                self._engine.resume(instance_id, reason)
            case "rewind":
                self._engine.rewind(instance_id, reason)
            case "restart":
                new_id = request.query_params.get("restartWithNewInstanceId", "true").lower() != "false"
                restarted = self._engine.restart(instance_id, new_id)
                return self._check_status(request, restarted)
            case _:
                raise HostHttpError(404, f"no instance operation {operation!r}: terminate, suspend, resume,"
                                         " rewind, restart or raiseEvent/<name>")
        return Response(status_code=202)

    async def _entities(self, request: Request) -> Response:
        message = (f"Durable entities are not supported by the local host ({request.method} entities/"
                   f"{request.path_params['rest']}): signal_entity, read_entity_state and entity functions are refused")
        log.warning("%s", message)
        raise DurableError(501, message)

    async def _purge(self, request: Request) -> Response:
        return JSONResponse({"instancesDeleted": self._engine.purge(request.path_params["instance_id"])})


def _filter(request: Request) -> InstanceFilter:
    """The query's instance filter; a date or status that cannot be read is refused, not ignored."""
    params = request.query_params

    def moment(name: str) -> str | None:
        text = params.get(name)
        if not text:
            return None
        try:
            return iso(parse_iso(text))
        except ValueError as error:
            raise HostHttpError(400, f"{name}={text!r} is not an ISO 8601 date and time") from error

    statuses = {s.strip() for s in params.get("runtimeStatus", "").split(",") if s.strip()}
    unknown = statuses - RUNTIME_STATUSES
    if unknown:
        raise HostHttpError(400, f"runtimeStatus {sorted(unknown)} unknown: use {sorted(RUNTIME_STATUSES)}")
    return InstanceFilter(created_from=moment("createdTimeFrom"), created_to=moment("createdTimeTo"),
                          statuses=frozenset(statuses), prefix=params.get("instanceIdPrefix", ""))


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() == "true"
