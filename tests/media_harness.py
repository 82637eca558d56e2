"""The media app served for tests: uvicorn in a thread with the container's WebSocket and HTTP implementations,
its realtime engine pointed at a scripted Realtime server; and a whole phone line: the ACS simulator, a host
that answers its calls, and the media app they stream to."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.acs.simulator import AcsSimulator
from local.realtime.server import Say, ScriptedRealtime
from local.stack import Endpoints
from local.threaded_server import serving
from media.app import create_app
from media.engine import VoiceEngine
from media.server import UVICORN
from media.settings import MediaSettings
from tests.hosting import HostProcess, product_host


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
    with serving(app, port=port, **UVICORN) as bound:
        yield bound, app


def realtime_engines(settings: MediaSettings, **options: Any) -> Any:
    """A realtime engine per call, with test-sized timings."""
    from media.engines.realtime import RealtimeEngine, connector

    connect = connector(settings)

    def make() -> VoiceEngine:
        return RealtimeEngine(settings, connect, **options)

    return make


@dataclass
class PhoneLine:
    host: HostProcess
    simulator: AcsSimulator
    model: ScriptedRealtime  # what the realtime engine talks to: script it per call
    media_port: int
    realtime_url: str


@contextmanager
def phone_line(workdir: Path, stack: Endpoints,
               engines: Callable[[MediaSettings], Any] = realtime_engines) -> Iterator[PhoneLine]:
    """Calls placed through the simulator are answered by a started host and streamed to the media app, whose
    engines `engines(settings)` makes (by default realtime ones on the scripted server)."""
    model = ScriptedRealtime(lambda context: [Say("Hello.")])
    media_port = free_port()
    simulator = AcsSimulator(workdir / "acs", host_url="", system_key="")
    with simulator.serving(), model.serving() as realtime_url:
        host = product_host(workdir, stack.as_settings(), ACS_CONNECTION_STRING=simulator.connection_string,
                            ACS_VERIFY_TLS=str(simulator.certificate), CALL_CONNECT_SECONDS="10",
                            MEDIA_BASE_URL=f"ws://127.0.0.1:{media_port}")
        host.port = free_port()
        settings = media_settings(f"http://127.0.0.1:{host.port}", host.service_key, realtime_url)
        with media_app(settings, engines(settings), port=media_port):
            host.start()
            simulator.host_url, simulator.system_key = host.base_url, host.keys.system_key
            try:
                yield PhoneLine(host, simulator, model, media_port, realtime_url)
            finally:
                host.stop()
