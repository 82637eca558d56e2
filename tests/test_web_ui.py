"""The web UI in a real browser: Debian's Chromium, driven by playwright-core (web/e2e/run.mjs), against the
media container (media/app.py with its web routes, media/web.py) on uvicorn, in front of the product on the
local host and stack; calls and the voice chat go through the media path to a scripted Realtime model
(local/realtime/server.py), the one stand-in: it "hears" a scripted sentence when it detects speech. One
voice chat runs on the offline cascade engine instead (the embedded default): nothing scripted in it.

Screenshots land in .local/test-artefacts/web/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from local.acs.media import speech
from local.acs.simulator import AcsSimulator
from local.caller_voice import silence, speak
from local.realtime.server import Say, ScriptedRealtime
from local.stack import Endpoints
from media.engines import REALTIME_VOICES
from media.settings import MediaSettings
from media.voice_ticket import verify
from tests.hosting import HostProcess, generate_company, wait_for
from tests.media_harness import media_app, media_settings, phone_line
from tests.test_calls import Call as PhoneCall

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
ARTEFACTS = ROOT / ".local" / "test-artefacts" / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
RECORDING_RATE = 16000
# Big enough that the generation takes a few of the page's polls; the form's labels as keys.
# Big enough that a fast machine still takes several progress polls to generate it.
COMPANY = {"Customers": 30, "Products": 10, "Purchases": 300, "Past conversations": 600, "Seed": 11}
SMALL_COMPANY = {"name": "Contoso", "industry": "outdoor gear", "customers": 3, "products": 4, "purchases": 3,
                 "conversations": 2, "seed": 1}
CALLER_SAID = "How much is the cheapest product?"
AGENT_SAID = "Our cheapest product is the trail lantern at nineteen dollars."
RETURNS_QUESTION = "What is your returns policy?"
RETURNS_ANSWER = ("Our returns policy gives you thirty days to bring anything back with the receipt, for a full "
                  "refund to the card you paid with; the shipping label is free, and an exchange for another size or "
                  "colour is free as well.")  # ten seconds of speech: longer than a round of the recording


@dataclass
class World:
    host: HostProcess
    simulator: AcsSimulator
    model: ScriptedRealtime
    web: str  # the media container's base URL: the web UI, its API and the voice socket


@pytest.fixture(scope="module", autouse=True)
def artefacts() -> None:
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[World]:
    with phone_line(tmp_path_factory.mktemp("webui"), stack) as line:
        yield World(line.host, line.simulator, line.model, f"http://127.0.0.1:{line.media_port}")


def browse(scenario: str, world: World, **env: str) -> None:
    """Runs one browser scenario of web/e2e/run.mjs; its failure (with a screenshot) fails the test."""
    done = subprocess.run(["node", "e2e/run.mjs", scenario], check=False, cwd=WEB, capture_output=True, text=True,
                          timeout=110, env={**os.environ, "WEB_URL": world.web, "ADMIN_KEY": world.host.keys.master_key,
                               "ARTEFACTS": str(ARTEFACTS), "CHROMIUM": str(CHROMIUM), **env})
    assert done.returncode == 0, f"{scenario}:\n{done.stdout}\n{done.stderr}"


def test_the_browser_gets_pages_and_admin_api_but_never_the_service_key(world: World) -> None:
    host = world.host
    admin = {"x-functions-key": host.keys.master_key}
    with httpx.Client(base_url=world.web, timeout=30) as http:
        assert "<div id=\"root\">" in http.get("/calls").text  # the app's own paths are the app
        assert http.get("/health").json()["status"] == "ok"  # the media path's own routes come first
        assert http.get("/api/health").json()["mode"]
        assert http.get("/api/admin/dashboard").status_code == 401
        assert http.get("/api/admin/dashboard", headers=admin).status_code == 200
        # A service key sent by a browser is dropped on the way: the client routes stay closed to it.
        smuggled = http.post("/api/sessions", json={"channel": "chat", "customer_id": "c1"},
                             headers={"x-service-key": host.service_key})
        assert smuggled.status_code == 401
        assert http.post("/voice/sessions", json={"customer_id": "c1"}).status_code == 401
        assert http.post("/voice/sessions", json={"customer_id": "nobody"}, headers=admin).status_code == 404
        assert http.post("/voice/sessions", json={"customer_id": "../admin"}, headers=admin).status_code in (400, 404)
        assert http.post("/voice/sessions", content=b"[1]", headers=admin).status_code == 400
    with pytest.raises(InvalidStatus) as refused:  # a socket to a path nobody serves is refused
        connect(f"ws{world.web.removeprefix('http')}/nowhere")
    assert refused.value.response.status_code == 403


def test_the_demo_login_opens_a_session_that_chats_and_ends_without_the_service_key(world: World) -> None:
    host = world.host
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
        customer = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
    with httpx.Client(base_url=world.web, timeout=30) as http:
        opened = http.post("/voice/sessions", json={"customer_id": customer["id"]},
                           headers={"x-functions-key": host.keys.master_key})
        assert opened.status_code == 201, opened.text
        session = opened.json()
        assert host.service_key not in opened.text
        ticket = verify(host.service_key, session["ticket"], session["token"])
        assert ticket and ticket.session_id == session["session_id"] and ticket.customer_id == customer["id"]
        assert ticket.facts["customer"]["first_name"] == customer["first_name"]
        headers = {"x-session-id": session["session_id"], "x-session-token": session["token"]}
        reply = http.post("/voice/chat", json={"message": "What do you sell?"}, headers=headers)
        assert reply.status_code == 200 and reply.json()["reply"]
        assert http.post("/voice/chat", json={"message": "hi"}, headers={**headers, "x-session-token": "x"}
                         ).status_code == 401
        assert http.get("/voice/status").json() == {"voice": True, "voices": list(REALTIME_VOICES)}
        socket_url = f"ws{world.web.removeprefix('http')}/voice/audio"
        for hello in ({"kind": "Hello", "token": "wrong", "ticket": session["ticket"]}, {"kind": "AudioMetadata"}):
            with connect(socket_url) as voice, pytest.raises(ConnectionClosed) as closed:
                voice.send(json.dumps(hello))
                voice.recv(5)
            assert closed.value.rcvd.code == 1008  # refused before any audio reaches an engine
        assert http.post("/voice/end", headers=headers).status_code == 202
        assert http.post("/voice/chat", json={"message": "still there?"}, headers=headers).status_code == 401


def test_an_upload_of_several_files_is_indexed(world: World, tmp_path: Path) -> None:
    documents = []
    for name, topic in (("Returns.md", "returns within 30 days with the receipt"),
                        ("Warranty.txt", "a two year warranty on frames and one year on parts"),
                        ("Shipping.md", "free shipping on orders over 50 dollars")):
        path = tmp_path / name
        path.write_text(f"# {name}\n\n" + " ".join([f"Our policy covers {topic}."] * 60))
        documents.append(str(path))
    browse("upload", world, DOCUMENTS=",".join(documents))
    with world.host.admin() as http:
        states = {d["id"]: d for d in http.get("/api/admin/documents").json()["items"]}
    assert {Path(p).name for p in documents} <= {n for n, d in states.items() if d["state"] == "indexed"}


def test_generating_a_company_moves_the_progress_bar_and_fills_the_dashboard(world: World) -> None:
    with world.host.admin() as http:
        http.delete("/api/admin/company")
    browse("synthetic", world, COMPANY=json.dumps(COMPANY))
    with world.host.admin() as http:
        assert http.get("/api/admin/dashboard").json()["conversations"] > 0


def test_a_phone_call_appears_under_calls_while_it_runs_with_its_transcript_as_spoken(world: World) -> None:
    host = world.host
    world.model.script = lambda context: [Say("Hello, how can I help?" if context.turn == 0 else AGENT_SAID)]
    world.model.hears = lambda turn: CALLER_SAID
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
        caller = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]["phone"]
    call = PhoneCall(host, world.simulator, caller)
    stream = world.simulator.media_for(call.connection_id)
    stream.wait_for(lambda: stream.agent_audio_ms() > 300)  # the greeting is playing
    stream.wait_for(lambda: stream.idle, 20)
    stream.say(speech(700))
    browse("calls", world, CALL_ID=call.call_id, CALLER_SAID=CALLER_SAID, AGENT_SAID=AGENT_SAID)
    stream.hang_up()
    wait_for(lambda: call.status().get("runtimeStatus") == "Completed", 30)  # recorded: counted before what follows


def test_a_voice_chat_hears_the_caller_answers_aloud_and_is_interrupted_by_speech(world: World, tmp_path: Path
                                                                                  ) -> None:
    host = world.host
    world.model.script = lambda context: [Say("Hello, how can I help?" if context.turn == 0 else RETURNS_ANSWER)]
    world.model.hears = lambda turn: RETURNS_QUESTION
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
    # Silence while the greeting plays, the question, a pause in which the agent starts answering; the next round
    # talks over the answer.
    recording = caller_recording(tmp_path / "question.wav", 5, RETURNS_QUESTION, 1)
    browse("voice", world, CALLER_WAV=str(recording),
           QUESTION=RETURNS_QUESTION, ANSWER=RETURNS_ANSWER, VOICE="coral")
    assert world.model.connections[-1].sessions[0]["audio"]["output"]["voice"] == "coral"  # the one picked


def test_a_voice_chat_on_the_offline_engine_is_heard_answered_and_interrupted(world: World, tmp_path: Path) -> None:
    """The embedded default: the browser's microphone through VAD and whisper, the offline brain, the voice picked
    from the cascade's (espeak); the caller's second sentence comes while the answer plays."""
    host = world.host
    settings = MediaSettings(function_app_url=host.base_url, service_key=host.service_key, voice_engine="cascade")
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
    recording = caller_recording(tmp_path / "question.wav", 5, RETURNS_QUESTION, 2.5, "Sorry, one more thing.", 6)
    with media_app(settings) as (port, _):
        offline = World(host, world.simulator, world.model, f"http://127.0.0.1:{port}")
        browse("voice", offline, CALLER_WAV=str(recording), QUESTION=RETURNS_QUESTION, HEARD="return.?s? policy",
               VOICE="espeak")


def test_the_pages_no_other_test_shows_pass_axe_and_the_keyboard_reaches_every_control(world: World) -> None:
    browse("accessibility", world)


def test_a_service_that_is_down_is_said_plainly(world: World) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections to it are refused
    settings = media_settings(f"http://127.0.0.1:{closed.getsockname()[1]}", world.host.service_key,
                              "http://127.0.0.1:9")
    try:
        with media_app(settings) as (port, _):
            url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=url) as http:
                down = http.get("/api/health")
            assert down.status_code == 502 and "not answering" in down.json()["error"]
            browse("down", World(world.host, world.simulator, world.model, url))
    finally:
        closed.close()


def caller_recording(path: Path, *parts: str | float) -> Path:
    """What the fake microphone plays, over and over: text in the phone simulator's caller voice, a number
    that many seconds of silence."""
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RECORDING_RATE)
        target.writeframes(b"".join(speak(part, RECORDING_RATE) if isinstance(part, str)
                                    else silence(int(part * 1000), RECORDING_RATE) for part in parts))
    return path
