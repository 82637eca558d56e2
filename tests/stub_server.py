"""A provider's HTTP API as a test scripts it, on a free loopback port, recording every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.routing import Route

from local.threaded_server import serving as threaded


@contextmanager
def serving(routes: list[Route]) -> Iterator[str]:
    """Runs the routes in a thread; yields the base URL (http://127.0.0.1:port)."""
    with threaded(Starlette(routes=routes)) as port:
        yield f"http://127.0.0.1:{port}"
