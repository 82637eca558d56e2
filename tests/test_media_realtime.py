"""The realtime engine against the scripted Realtime server, provider by provider: the URL, the auth headers and
the session shape each one takes, through the openai SDK's own client."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator

import pytest

from local.realtime.server import Say, ScriptedRealtime
from media.engine import AudioFormat, CallContext
from media.engines.realtime import RealtimeEngine, connector
from media.settings import MediaSettings
from media.transport import AcsCallSide
from shared.tools.registry import ToolResult


class NoTools:
    """Nothing in these tests calls a tool."""

    async def run(self, name: str, arguments: dict, call_id: str) -> ToolResult:
        raise AssertionError(f"{name} was not expected")

    async def caller_turn(self) -> None:
        return None

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        return None


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[ScriptedRealtime, str]]:
    server = ScriptedRealtime(lambda context: [Say("Hello.")])
    with server.serving() as url:
        yield server, url


PROFILE = {"company": "Contoso", "customer": {"first_name": "Dana", "last_name": "Reyes", "loyalty_tier": "gold"}}


async def greet(settings: MediaSettings, server: ScriptedRealtime, facts: dict | None = None) -> dict:
    """Opens an engine for a call, lets it greet; returns what the server saw of the connection."""
    frames: list[str] = []

    def send(text: str) -> None:
        frames.append(text)

    async def emit(event: object) -> None:
        return None

    before = len(server.connections)
    side = AcsCallSide(send, AudioFormat(), emit)
    engine = RealtimeEngine(settings, connector(settings))
    call = CallContext("call-1", "ses-" + "0" * 32, "cust-1", "Dana", "router", AudioFormat(),
                       PROFILE if facts is None else facts)
    await engine.start(call, side, NoTools())
    for _ in range(200):
        if frames:
            break
        await asyncio.sleep(0.02)
    await engine.close()
    await side.close()
    assert frames, "no agent audio came back"
    connection = server.connections[before]
    return {"path": connection.path, "headers": connection.headers, "session": connection.sessions[0]}


@pytest.mark.parametrize("socket", ["picows", "sdk"])  # the fast socket builds the SDK's URL and headers
def test_openai_takes_a_bearer_key_and_the_ga_session(model, socket: str) -> None:
    server, url = model
    seen = asyncio.run(greet(MediaSettings(realtime_socket=socket, realtime_provider="openai", realtime_endpoint=url,
                                           realtime_api_key="sk-test", realtime_model="gpt-realtime"), server))
    assert seen["path"] == "/v1/realtime?model=gpt-realtime"
    assert seen["headers"]["authorization"] == "Bearer sk-test" and "api-key" not in seen["headers"]
    session = seen["session"]
    assert session["type"] == "realtime" and session["audio"]["input"]["format"] == {"type": "audio/pcm",
                                                                                      "rate": 24000}
    assert session["audio"]["input"]["turn_detection"]["interrupt_response"] is True
    assert session["audio"]["output"]["voice"] == "alloy"  # the router's own voice
    assert "Dana\nReyes" in session["instructions"] and {t["name"] for t in session["tools"]} >= {"handoff",
                                                                                                "end_call"}


@pytest.mark.parametrize("socket", ["picows", "sdk"])  # the fast socket builds the SDK's URL and headers
def test_azure_openai_takes_an_api_key_header_and_no_bearer(model, socket: str) -> None:
    server, url = model
    base = url.removesuffix("/v1") + "/openai/v1"
    seen = asyncio.run(greet(MediaSettings(realtime_socket=socket, realtime_provider="azure_openai",
                                           realtime_endpoint=base, realtime_api_key="azure-key",
                                           realtime_model="my-deployment"), server))
    assert seen["path"] == "/openai/v1/realtime?model=my-deployment"
    assert seen["headers"]["api-key"] == "azure-key" and "authorization" not in seen["headers"]


@pytest.mark.parametrize("socket", ["picows", "sdk"])  # the fast socket builds the SDK's URL and headers
def test_voice_live_gets_its_api_version_and_its_noise_echo_and_vad_extensions(model, socket: str) -> None:
    server, url = model
    seen = asyncio.run(greet(MediaSettings(
        realtime_socket=socket, realtime_provider="voice_live", realtime_endpoint=url.removesuffix("/v1"),
        realtime_api_key="live-key",
        realtime_model="gpt-realtime", realtime_turn_detection="azure_semantic_vad",
        realtime_voice="en-US-Ava:DragonHDLatestNeural"), server))
    assert seen["path"] == "/voice-live/realtime?model=gpt-realtime&api-version=2025-10-01"
    assert seen["headers"]["api-key"] == "live-key" and "authorization" not in seen["headers"]
    session = seen["session"]
    assert session["input_audio_format"] == "pcm16" and session["turn_detection"]["type"] == "azure_semantic_vad"
    assert session["input_audio_noise_reduction"] == {"type": "azure_deep_noise_suppression"}
    assert session["input_audio_echo_cancellation"] == {"type": "server_echo_cancellation"}
    assert session["voice"] == {"name": "en-US-Ava:DragonHDLatestNeural", "type": "azure-standard"}


def test_a_caller_not_on_file_is_greeted_all_the_same(model) -> None:
    server, url = model
    seen = asyncio.run(greet(MediaSettings(realtime_provider="openai", realtime_endpoint=url), server,
                             facts={"company": "Contoso", "customer": {}}))
    assert seen["session"]["instructions"].startswith("You are the front desk of Contoso's contact center.")


async def test_an_audio_delta_is_played_as_read_only_while_the_receive_loop_waits() -> None:
    sent: list[str] = []

    async def emit(event: object) -> None:
        return None

    engine = RealtimeEngine(MediaSettings(function_app_url="http://unused.invalid", service_key="k"), connector)
    engine._side = AcsCallSide(sent.append, AudioFormat(), emit)
    delta = ('{"type":"response.output_audio.delta","response_id":"r1","item_id":"i1","delta":"'
             + base64.b64encode(bytes(960)).decode() + '"}').encode()
    assert not engine._at_once(delta)  # the loop is in a handler (or not started): it takes the delta, in order
    engine._awaiting_event = True
    assert not engine._at_once(b'["response.output_audio.delta"]')  # not an event: the loop skips it
    assert not engine._at_once(b'{"type":"response.output_audio_transcript.delta","delta":"hi"}')
    assert engine._at_once(delta) and len(sent) == 1 and '"AudioData"' in sent[0]
    await engine._side.close()
