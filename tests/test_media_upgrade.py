"""The media socket's upgrade as the container serves it (media/server.py): `/media/` taken on picows after the
token check, anything else left to ASGI. The function app answers from inside the process (as in
bench/relay.py) and the engine only records what reaches it: this is about the socket, not the call.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import time
from collections.abc import Iterator

import httpx
import pytest

from local.threaded_server import serving
from media.app import create_app
from media.engine import CallContext, CallSide
from media.function_app_client import FunctionAppClient
from media.server import UVICORN
from media.settings import MediaSettings
from shared.conversation.executor import ToolPort

TOKEN = "good-token"


class HeardEngine:
    """Keeps the caller's audio and digits; says nothing."""

    def __init__(self, heard: list[str]) -> None:
        self._heard = heard

    async def start(self, call: CallContext, side: CallSide, tools: ToolPort) -> None:
        self._heard.append(f"start {call.call_id} {call.audio.sample_rate}")

    def caller_audio(self, audio_b64: str) -> None:
        self._heard.append(audio_b64)

    async def dtmf(self, digits: str) -> None:
        self._heard.append(f"dtmf {digits}")

    async def close(self) -> None:
        self._heard.append("closed")


@pytest.fixture
def media() -> Iterator[tuple[int, list[str], list[str]]]:
    asked: list[str] = []  # the call ids the function app was asked about
    heard: list[str] = []

    def function_app(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/session"):
            asked.append(request.url.path.split("/")[3])
            if request.headers.get("x-media-token") != TOKEN:
                return httpx.Response(401)
            return httpx.Response(201, json={"session_id": "ses-" + "0" * 32, "token": "t", "customer_id": "c"})
        return httpx.Response(200, json={})

    settings = MediaSettings(function_app_url="http://function-app.invalid", service_key="key", media_admin_key="")
    client = FunctionAppClient(settings, transport=httpx.MockTransport(function_app))
    with serving(create_app(settings, lambda: HeardEngine(heard), client), **UVICORN) as port:
        yield port, asked, heard


def upgrade(port: int, target: str, connection: str = "Upgrade") -> tuple[socket.socket, bytes]:
    """A raw upgrade request; returns the socket and the response's head."""
    client = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(b"0123456789abcdef").decode()
    client.sendall((f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: {connection}\r\n"
                    f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        if not (chunk := client.recv(4096)):
            break
        head += chunk
    return client, head


def text_frame(text: str) -> bytes:
    payload = text.encode()
    size = len(payload)
    head = struct.pack("!BB", 0x81, 0x80 | size) if size < 126 else struct.pack("!BBH", 0x81, 0xFE, size)
    return head + b"\0\0\0\0" + payload  # masked with zeros


def until(check, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_call_socket_opened_as_browsers_and_proxies_ask_is_taken_and_its_frames_reach_the_engine(media) -> None:
    port, asked, heard = media
    client, head = upgrade(port, f"/media/call%3A7?token={TOKEN}", connection="keep-alive, Upgrade")
    with client:
        assert head.startswith(b"HTTP/1.1 101"), head
        assert asked == ["call:7"]  # the id as ACS meant it, percent-decoding done
        audio = base64.b64encode(bytes(640)).decode()
        client.sendall(text_frame(json.dumps({"kind": "AudioMetadata", "audioMetadata": {"sampleRate": 16000,
                                                                                          "length": 640}}))
                       + text_frame('{"kind":"AudioData","audioData":{"data":"' + audio + '"}}')
                       + text_frame('{"kind":"DtmfData","dtmfData":{"data":"5"}}'))
        until(lambda: "dtmf 5" in heard)
        assert heard[:2] == ["start call:7 16000", audio]
        client.sendall(b"\x88\x82\0\0\0\0\x03\xe8")  # close, 1000
        until(lambda: "closed" in heard)


@pytest.mark.parametrize("target", [f"/media/call-1?token=forged-{TOKEN}", "/media/call-1", "/media/a%2Fb?token=x"])
def test_a_socket_refused_gets_its_status_before_the_handshake_and_reaches_no_engine(media, target: str) -> None:
    port, asked, heard = media
    client, head = upgrade(port, target)
    with client:
        assert head.startswith(b"HTTP/1.1 403"), head
        assert client.recv(100) == b""  # and the connection is closed
    assert not heard
    assert asked == (["call-1"] if "token=forged" in target else [])  # a malformed id or no token: not even asked


def test_other_websockets_still_go_through_asgi(media) -> None:
    port, _, _ = media
    client, head = upgrade(port, "/calls/live?key=anything")  # the live feed: refused by its own check
    with client:
        assert head.startswith(b"HTTP/1.1 403"), head

