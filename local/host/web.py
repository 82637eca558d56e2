"""Request reading and error answers shared by every endpoint of the host."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


class HostHttpError(Exception):
    """A request the host refuses, with the status and a message that says what was wrong."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HostHttpError(400, f"Content-Length {declared!r} is not a number")
        if int(declared) > limit:
            raise HostHttpError(413, f"the body has {declared} bytes; this host accepts at most {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HostHttpError(413, f"the body exceeds this host's limit of {limit} bytes")
    return bytes(body)
