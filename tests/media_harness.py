"""The media app served for tests: uvicorn in a thread with the container's WebSocket and HTTP implementations,
its realtime engine pointed at a scripted Realtime server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from local.threaded_server import serving
from media.app import create_app
from media.engine import VoiceEngine
from media.settings import MediaSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def media_settings(function_app_url: str, service_key: str, realtime_url: str, **more: Any) -> MediaSettings:
    return MediaSettings(function_app_url=function_app_url, service_key=service_key, voice_engine="realtime",
                         realtime_provider="openai", realtime_endpoint=realtime_url, realtime_api_key="test-key",
                         realtime_turn_detection="server_vad", media_admin_key="media-admin-test", **more)


@contextmanager
def media_app(settings: MediaSettings, engines: Any = None, port: int = 0) -> Iterator[tuple[int, Any]]:
    """Serves the media app; yields (port, the Starlette app)."""
    app = create_app(settings, engines)
    with serving(app, port=port, ws="websockets-sansio", http="httptools") as bound:
        yield bound, app


def realtime_engines(settings: MediaSettings, **options: Any) -> Any:
    """A realtime engine per call, with test-sized timings."""
    from media.engines.realtime import RealtimeEngine, connector

    connect = connector(settings)

    def make() -> VoiceEngine:
        return RealtimeEngine(settings, connect, **options)

    return make
