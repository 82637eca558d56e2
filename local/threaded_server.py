"""An ASGI app served by uvicorn in a thread on a free loopback port: the local stand-ins tests run beside them."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn


@contextmanager
def serving(app: Any, certificate: tuple[Path, Path] | None = None, port: int = 0, **config: Any) -> Iterator[int]:
    """Serves `app` (over TLS with a (certificate, key) pair) until the block ends; yields the port.
    `config`: more uvicorn settings (the media app's WebSocket implementation, ...)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", port))
    tls = {"ssl_certfile": str(certificate[0]), "ssl_keyfile": str(certificate[1])} if certificate else {}
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **tls, **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(5)
