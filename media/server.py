"""How the media container serves its app: uvicorn with uvloop and httptools, WebSockets through
media.call_upgrade.WebSocketRouter (ACS media sockets on picows, the others on websockets-sansio).

Run: python -m media.server [--host 0.0.0.0] [--port 8000] (the container's command)
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from media.call_upgrade import WebSocketRouter

# What every server of the media app is run with, in the container, locally and in tests.
UVICORN: dict[str, Any] = {"loop": "uvloop", "http": "httptools", "ws": WebSocketRouter}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--behind-proxy", action="store_true",
                        help="trust X-Forwarded-* from any address (the Container App's ingress)")
    parser.add_argument("--graceful-seconds", type=int, default=None,
                        help="after the drain, how long uvicorn waits for what is left")
    args = parser.parse_args(argv)
    proxy = {"proxy_headers": True, "forwarded_allow_ips": "*"} if args.behind_proxy else {}
    uvicorn.run("media.app:app", host=args.host, port=args.port, timeout_graceful_shutdown=args.graceful_seconds,
                **proxy, **UVICORN)


if __name__ == "__main__":
    main()
