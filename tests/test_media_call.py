"""Phone calls end to end, with audio: IncomingCall through the simulator, the function app answers with media
streaming, the simulator opens the media WebSocket like ACS, the media app bridges it to a scripted Realtime
model whose tool calls run in the function app, and the agent's audio comes back to the caller.

Timings are judged on the audio itself (frames counted after a StopAudio, gaps between played frames), with
generous bounds: these are correctness tests, bench/relay.py measures speed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from local.acs.media import MediaStream, speech
from local.acs.simulator import AcsSimulator
from local.realtime.server import Call, Context, Say, ScriptedRealtime
from local.stack import Endpoints
from media.engine import CallContext, CallSide, VoiceEngine
from media.settings import MediaSettings
from shared.conversation.executor import ToolPort
from shared.tools.registry import ToolResult
from tests.hosting import HostProcess, generate_company, wait_for
from tests.media_harness import free_port, phone_line, realtime_engines
from tests.test_calls import Call as PhoneCall
from tests.test_calls import customer_phone

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 12, "products": 5, "purchases": 6,
           "conversations": 2, "seed": 7}
ADMIN_KEY = "media-admin-test"


@dataclass
class World:
    host: HostProcess
    simulator: AcsSimulator
    model: ScriptedRealtime
    media_port: int
    realtime_url: str
    engines: dict[str, Callable[[], VoiceEngine]]  # "make": what the media app builds each call's engine with
    default_engines: Callable[[], VoiceEngine]
    customers: int = 0

    def call(self, script: Callable[[Context], list], hears: Callable[[int], str] = lambda turn: "hello"
             ) -> tuple[PhoneCall, MediaStream, dict]:
        """A new call from the next customer, the model scripted for it; returns the call, its media stream and
        the customer."""
        self.model.script, self.model.hears = script, hears
        customer = customer_phone(self.host, self.customers)
        self.customers += 1
        call = PhoneCall(self.host, self.simulator, customer["phone"])
        stream = self.simulator.media_for(call.connection_id)
        stream.wait_for(lambda: stream.agent_audio_ms() > 300)  # the greeting is playing
        return call, stream, customer


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[World]:
    engines: dict[str, Callable[[], VoiceEngine]] = {}

    def swappable(settings: MediaSettings) -> Callable[[], VoiceEngine]:
        engines["make"] = realtime_engines(settings)
        return lambda: engines["make"]()  # noqa: PLW0108 (swapped by tests)

    with phone_line(tmp_path_factory.mktemp("media-call"), stack, swappable) as line:
        assert generate_company(line.host, COMPANY)["result"]["status"] == "complete"
        yield World(line.host, line.simulator, line.model, line.media_port, line.realtime_url, engines,
                    engines["make"])


@pytest.fixture
def engines(world: World) -> Iterator[dict[str, Callable[[], VoiceEngine]]]:
    yield world.engines
    world.engines["make"] = world.default_engines


def outputs_of(model: ScriptedRealtime, name: str | None = None) -> list[dict[str, Any]]:
    """The function_call_output items of the newest connection (of the calls to `name`)."""
    items = model.connections[-1].items
    call_ids = {i["call_id"] for i in items if i["type"] == "function_call" and name in (None, i["name"])}
    return [json.loads(i["output"]) for i in items if i["type"] == "function_call_output" and i["call_id"] in call_ids]


def products(host: HostProcess) -> list[dict]:
    with host.admin() as http:
        return http.get("/api/admin/products").json()["items"]


def catalog_script(context: Context) -> list:
    """The router hands the caller over; the specialist lists the products and answers."""
    if not context.outputs:
        return [Say("Let me get our product specialist."), Call("handoff", {"agent": "customer_data",
                                                                          "reason": "a product question"})]
    if '"handoff"' in context.outputs[-1]["output"]:
        return [Call("list_products", {})]
    return [Say("We have five products in the catalog.")]


def test_a_call_is_answered_and_a_handoff_keeps_the_conversation_on_the_same_connection(world: World) -> None:
    call, stream, _ = world.call(catalog_script, hears=lambda turn: "what products do you have")
    model = world.model
    connections, connection = len(model.connections), model.connections[-1]
    assert connection.sessions[0]["instructions"].startswith("You are the front desk")
    assert connection.headers["authorization"] == "Bearer test-key" and "model=gpt-realtime" in connection.path
    heard_before = len(stream.agent_frames)
    stream.say(speech(600))
    listed = model.wait_for(lambda: outputs_of(model, "list_products"), 20)
    assert listed[0]["ok"] and {p["name"] for p in listed[0]["result"]} <= {p["name"] for p in products(world.host)}
    stream.wait_for(lambda: len(stream.agent_frames) > heard_before + 50, 20)  # the answer is heard
    # The handoff: the specialist's instructions and tools, the same connection, everything said before kept.
    assert len(model.connections) == connections and len(connection.sessions) == 2
    assert "list_products" in [t["name"] for t in connection.sessions[1]["tools"]]
    assert "voice" not in connection.sessions[1]["audio"]["output"]  # a voice cannot change mid-conversation
    kinds = [(i["type"], i.get("role")) for i in connection.items]
    assert kinds[:3] == [("message", "assistant"), ("message", "user"), ("message", "assistant")]
    status = wait_for(lambda: ((s := call.status()).get("customStatus") or {}).get("tool_counts", {}).get(
        "list_products") and s, 20)["customStatus"]
    assert status["tool_counts"]["handoff"] == 1 and status["agents"] == ["router", "customer_data"]
    stream.hang_up()


def test_a_wrong_token_is_refused_before_any_audio(world: World) -> None:
    connections = len(world.model.connections)
    call, stream, _ = world.call(lambda context: [Say("Hello.")])
    good = world.simulator.calls[call.connection_id].media["transportUrl"]
    for url in (good.split("?")[0] + "?token=1999999999.forged", good.split("?")[0],
                good.replace(call.call_id, "call-000000000000000000000000")):
        intruder = world.simulator.open_media(url)
        intruder.say(speech(200))
        intruder.wait_for(lambda: intruder.close_code is not None)  # noqa: B023
        assert intruder.refused == 403 and not intruder.received  # refused at the handshake: not a frame read
    assert len(world.model.connections) == connections + 1  # only the real call reached the model
    stream.hang_up()


def order_script(product_id: str, customer: dict) -> Callable[[Context], list]:
    """Turn 1: hand over, verify, read the order back. Turn 2 ("yes"): a long confirmation whose tool call places
    the order, which the caller interrupts. Turn 3: the agent takes it back."""

    def script(context: Context) -> list:
        done = [json.loads(o["output"]) for o in context.outputs]
        if context.turn == 1:
            steps = [Call("handoff", {"agent": "customer_data", "reason": "an order"}),
                     Call("verify_caller", {"postal_code": customer["address"]["postal_code"],
                                            "date_of_birth": customer["date_of_birth"]}),
                     Call("create_order", {"product_id": product_id, "quantity": 1})]
            step = len([i for i in context.items if i["type"] == "function_call"])
            return [steps[step]] if step < len(steps) else [Say("That is one lantern. Shall I place the order?")]
        if context.turn == 2 and not done:
            return [Say("Wonderful, I am placing your order right now, this takes only a moment.", ms=4000),
                    Call("create_order", {"product_id": product_id, "quantity": 1, "confirmed": True})]
        return [Say("All right, I have not placed it.")]

    return script


def test_a_barge_in_stops_the_agent_at_once_and_the_interrupted_answers_order_is_never_placed(world: World) -> None:
    product = next(p for p in products(world.host) if p["stock"] > 2)
    customer = customer_phone(world.host, world.customers)
    words = {1: "I want to order one, my postal code and birthday are on file", 2: "yes", 3: "no wait"}
    _, stream, _ = world.call(order_script(product["id"], customer), hears=words.get)
    model = world.model
    stream.say(speech(600))
    model.wait_for(lambda: outputs_of(model, "create_order"), 20)
    assert outputs_of(model, "create_order")[0]["result"]["status"] == "confirmation_required"
    stream.wait_for(lambda: stream.agent_audio_ms(since=stream.speech_sent[-1]) > 2000, 20)  # the read-back
    stream.wait_for(lambda: time.monotonic() - stream.agent_frames[-1].at > 0.3)  # ... heard to its end
    stream.say(speech(500))  # "yes"
    said_yes = time.monotonic()
    stream.wait_for(lambda: stream.agent_audio_ms(since=said_yes + 0.3) > 1200, 20)  # the confirmation plays
    stops = len(stream.stops)
    stream.say(speech(600))  # the caller cuts in
    stream.wait_for(lambda: len(stream.stops) > stops, 10)
    cut_in = next(t for t in stream.speech_sent if t > said_yes + 1.0)
    after = [f for f in stream.agent_frames if cut_in < f.at < cut_in + 0.5]
    assert len(after) <= 5, f"{len(after)} agent frames (20 ms each) after the caller began to speak"
    truncated = model.connections[-1].truncations
    assert truncated and 800 <= truncated[-1]["audio_end_ms"] < 4000  # where the caller stopped listening
    stream.wait_for(lambda: stream.agent_audio_ms(since=stream.stops[-1].at) > 500, 20)  # "I have not placed it"
    refused = [o for o in outputs_of(model, "create_order") if not o["ok"]]
    assert refused and "interrupted" in refused[0]["error"]
    assert next(p for p in products(world.host) if p["id"] == product["id"])["stock"] == product["stock"]
    stream.hang_up()


class SlowTools:
    """A tool port whose `slow` tool takes `seconds` (a slow backend, which the function app cannot be told
    to be)."""

    def __init__(self, port: ToolPort, slow: str, seconds: float) -> None:
        self._port, self._slow, self._seconds = port, slow, seconds

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        if name == self._slow:
            await asyncio.sleep(self._seconds)
        return await self._port.run(name, arguments, call_id)

    async def caller_turn(self) -> None:
        await self._port.caller_turn()

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        await self._port.drop_proposals(proposal_ids)


class SlowToolEngine:
    def __init__(self, engine: VoiceEngine, slow: str, seconds: float) -> None:
        self._engine, self._slow, self._seconds = engine, slow, seconds

    async def start(self, call: CallContext, side: CallSide, tools: ToolPort) -> None:
        await self._engine.start(call, side, SlowTools(tools, self._slow, self._seconds))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def test_a_three_second_tool_never_leaves_more_than_two_seconds_of_dead_air(world: World, engines) -> None:
    engines["make"] = lambda: SlowToolEngine(world.default_engines(), "list_products", 3.0)
    _, stream, _ = world.call(catalog_script, hears=lambda turn: "what products do you have")
    stream.wait_for(lambda: time.monotonic() - stream.agent_frames[-1].at > 0.3)  # the greeting is over
    stream.say(speech(600))
    model = world.model
    model.wait_for(lambda: "input_audio_buffer.speech_started" in model.sent_types(model.connections[-1]))
    time.sleep(0.3)
    # Speaking after the agent finished is no barge-in: nothing to stop, nothing heard to cut from the model's memory.
    assert not stream.stops and not model.connections[-1].truncations
    stream.wait_for(lambda: stream.idle)
    spoke = stream.speech_sent[-1]
    model.wait_for(lambda: outputs_of(model, "list_products"), 20)
    answered = time.monotonic()
    stream.wait_for(lambda: stream.agent_audio_ms(since=answered) > 1500, 20)  # "we have five products"
    played = [f.at for f in stream.agent_frames if f.at > spoke]
    gaps = [b - a for a, b in zip([spoke, *played], played, strict=False)]
    assert max(gaps) <= 2.0, f"{max(gaps):.2f} s of silence while the agent held the turn"
    fillers = [r for r in model.connections[-1].received if r == "response.create"]
    assert len(fillers) >= 3  # the greeting's, at least one filler, the answer after the tool


def test_a_dropped_model_connection_is_reopened_with_the_conversation(world: World) -> None:
    _, stream, _ = world.call(lambda context: [Say(f"Answer number {context.turn}.")],
                              hears=lambda turn: f"question {turn}")
    model = world.model
    first = model.connections[-1]
    stream.say(speech(500))
    stream.wait_for(lambda: stream.idle)
    model.wait_for(lambda: any(i.get("role") == "assistant" and "Answer number 1" in json.dumps(i)
                               for i in first.items))
    time.sleep(1.0)  # the transcript of the answer is in
    connections = len(model.connections)
    dropped = time.monotonic()
    model.drop(first)
    second = model.wait_for(lambda: len(model.connections) > connections and model.connections[-1], 5)
    reopened = time.monotonic() - dropped
    assert reopened < 2.0
    restored = model.wait_for(lambda: [i["content"][0]["text"] for i in second.items if i["type"] == "message"])
    assert "Thank you for calling Contoso Outdoor.".startswith(restored[0])  # what was heard of the greeting
    assert restored[1:3] == ["question 1", "Answer number 1."]
    assert second.sessions and second.sessions[0]["instructions"].startswith("You are the front desk")
    since = time.monotonic()
    stream.say(speech(500))
    stream.wait_for(lambda: stream.agent_audio_ms(since=since) > 500, 20)  # the call goes on
    stream.hang_up()


def test_a_model_that_cannot_be_reached_again_ends_the_call_with_its_transcript(world: World) -> None:
    call, stream, _ = world.call(lambda context: [Say("Sure, here it is.")], hears=lambda turn: "a question")
    model = world.model
    stream.say(speech(500))
    stream.wait_for(lambda: stream.idle)
    model.wait_for(lambda: any(i.get("role") == "assistant" and "here it is" in json.dumps(i)
                               for i in model.connections[-1].items))
    time.sleep(1.0)
    model.refusing = True
    try:
        dropped = time.monotonic()
        model.drop(model.connections[-1])
        stream.wait_for(lambda: stream.close_code is not None, 15)  # the media path ends the call
        assert stream.agent_audio_ms(since=dropped) > 2000  # after telling the caller
        done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 30)
    finally:
        model.refusing = False
    assert done["output"]["status"] == "ended" and done["output"]["conversation_id"]  # the transcript is kept
    assert [r for r in world.simulator.requests if r.path.endswith(":terminate")]  # and the line hung up


def test_a_model_unreachable_from_the_start_is_announced_and_the_call_ends(world: World) -> None:
    world.model.refusing = True
    try:
        customer = customer_phone(world.host, world.customers)
        world.customers += 1
        call = PhoneCall(world.host, world.simulator, customer["phone"])
        stream = world.simulator.media_for(call.connection_id)
        stream.wait_for(lambda: stream.close_code is not None, 20)
    finally:
        world.model.refusing = False
    assert stream.agent_audio_ms() > 2000  # the notice
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 30)
    assert done["output"]["status"] == "ended"


def test_a_thousand_malformed_frames_crash_nothing_and_the_call_goes_on_with_its_keypad(world: World) -> None:
    _, stream, _ = world.call(lambda context: [Say(f"Answer {context.turn}.")])
    rng = random.Random(3)
    samples = ['{"kind":"AudioData","audioData":{"data":"AAAA"}}', '{"kind":"DtmfData","dtmfData":{"data":"1"}}',
               '{"kind":"AudioMetadata","audioMetadata":{"sampleRate":24000,"length":960}}']
    for n in range(1000):
        match n % 5:
            case 0:
                frame = "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(1, 60)))
            case 1:
                text = rng.choice(samples)
                cut = rng.randrange(len(text))
                frame = text[:cut] + rng.choice(["", "}", '"', "[", "null"]) + text[cut + 1:]
            case 2:
                frame = json.dumps({"kind": rng.choice(["AudioData", "StopAudio", "Bogus", None, 5]),
                                    "audioData": rng.choice([None, [], {"data": rng.random()}, "x"])})
            case 3:
                frame = json.dumps([rng.random()] * rng.randrange(5))
            case _:  # not text: bytes, invalid UTF-8, or a text message in fragments (a whole one among them)
                frame = rng.choice([rng.randbytes(rng.randrange(1, 400)), [rng.choice(samples)[:9], "}" * 3],
                                    ['{"kind":"Dtmf', 'Data","dtmfData":{"data":"7"}}']])
        stream.send_raw(frame)
    stream.wait_for(lambda: stream.idle)
    since = time.monotonic()
    stream.say(speech(500))
    stream.wait_for(lambda: stream.agent_audio_ms(since=since) > 300, 20)
    assert stream.close_code is None
    stream.press("42#")
    model = world.model
    model.wait_for(lambda: any("42#" in json.dumps(i) for i in model.connections[-1].items))
    assert any("keys 7 " in json.dumps(i) for i in model.connections[-1].items)  # the fragmented one, whole
    with world.host.client(None) as http:
        assert http.get(f"http://127.0.0.1:{world.media_port}/health").json()["status"] == "ok"
    stream.hang_up()


def test_transcript_lines_reach_the_watchers_and_the_calls_record(world: World) -> None:
    live = f"ws://127.0.0.1:{world.media_port}/calls/live"

    async def refused() -> int:
        try:
            async with connect(f"{live}?key=wrong"):
                return 101
        except InvalidStatus as error:
            return error.response.status_code

    assert asyncio.run(refused()) == 403
    lines: list[dict] = []
    ready, stop = threading.Event(), threading.Event()

    async def watch() -> None:
        async with connect(live, additional_headers={"x-media-admin-key": ADMIN_KEY}) as socket:
            ready.set()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    lines.append(json.loads(await asyncio.wait_for(socket.recv(), 0.2)))

    watcher = threading.Thread(target=lambda: asyncio.run(watch()), daemon=True)
    watcher.start()
    wait_for(ready.is_set)
    call, stream, _ = world.call(lambda context: [Say("Your order is on its way.")],
                                 hears=lambda turn: "where is my order")
    stream.say(speech(500))
    mine = wait_for(lambda: len(m := [x for x in lines if x["call_id"] == call.call_id]) >= 3 and m, 20)
    stop.set()
    watcher.join(5)
    assert [(m["speaker"], m["agent"]) for m in mine[:3]] == [("agent", "router"), ("caller", None),
                                                             ("agent", "router")]
    assert mine[1]["text"] == "where is my order" and mine[2]["text"] == "Your order is on its way."
    stream.hang_up()
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 30)
    assert done["output"]["conversation_id"] and done["output"]["turns"] >= 1


def test_sigterm_drains_the_calls_in_progress_before_the_server_stops(world: World, tmp_path: Path) -> None:
    """The container's own command (python -m media.server) in a process: stopped mid-call, it refuses new calls
    and answers health 503, the call in progress goes on to its end, and only then does the server exit."""
    call, stream, _ = world.call(lambda context: [Say("Still here for you.")])
    port = free_port()
    env = {**os.environ, "LOCAL_SETTINGS_PATH": str(tmp_path / "none.json"), "FUNCTION_APP_URL": world.host.base_url,
           "SERVICE_KEY": world.host.service_key, "VOICE_ENGINE": "realtime", "REALTIME_ENDPOINT": world.realtime_url,
           "REALTIME_API_KEY": "test-key", "REALTIME_TURN_DETECTION": "server_vad", "MEDIA_DRAIN_SECONDS": "30"}
    server = subprocess.Popen([sys.executable, "-m", "media.server", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    health = f"http://127.0.0.1:{port}/health"
    try:
        wait_for(lambda: _status(health) == 200, 20)
        url = f"ws://127.0.0.1:{port}/media/{call.call_id}?token={call.media_token}"
        draining = world.simulator.open_media(url)
        draining.wait_for(lambda: draining.agent_audio_ms() > 300)
        server.send_signal(signal.SIGTERM)
        wait_for(lambda: _status(health) == 503)
        late = world.simulator.open_media(url)
        late.wait_for(lambda: late.close_code is not None)
        assert late.refused == 503 and not late.received  # this replica is stopping: ACS tries another
        since = time.monotonic()
        draining.say(speech(500))
        draining.wait_for(lambda: draining.agent_audio_ms(since=since) > 500, 20)  # the call goes on
        assert server.poll() is None
        draining.hang_up()
        assert server.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
    finally:
        if server.poll() is None:
            server.kill()
        stream.hang_up()


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.TransportError:
        return 0
