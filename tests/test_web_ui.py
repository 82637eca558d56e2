"""The web UI in a real browser: Debian's Chromium, driven by playwright-core (web/e2e/run.mjs), against the
media container's web routes (media/web.py) on uvicorn, in front of the product on the local host and stack.

Screenshots land in .local/test-artefacts/web/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from local.acs.simulator import AcsSimulator, correlation_of
from local.stack import Endpoints
from media.voice_ticket import verify
from media.web import routes
from tests.hosting import HostProcess, generate_company, product_host, wait_for

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
ARTEFACTS = ROOT / ".local" / "test-artefacts" / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Big enough that the generation takes a few of the page's polls; the form's labels as keys.
COMPANY = {"Customers": 40, "Products": 12, "Purchases": 300, "Past conversations": 400, "Seed": 11}
SMALL_COMPANY = {"name": "Contoso", "industry": "outdoor gear", "customers": 3, "products": 4, "purchases": 3,
                 "conversations": 2, "seed": 1}
CALLER_SAID = "How much is the cheapest product?"


@contextmanager
def web_server(function_app_url: str, service_key: str) -> Iterator[str]:
    """The media container's web routes alone, on a free loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes(function_app_url, service_key, DIST)),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 10)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[tuple[HostProcess, AcsSimulator]]:
    workdir: Path = tmp_path_factory.mktemp("webui")
    simulator = AcsSimulator(workdir / "acs", host_url="", system_key="")
    with simulator.serving():
        host = product_host(workdir, stack.as_settings(), ACS_CONNECTION_STRING=simulator.connection_string,
                            ACS_VERIFY_TLS=str(simulator.certificate), CALL_CONNECT_SECONDS="10")
        host.start()
        simulator.host_url, simulator.system_key = host.base_url, host.keys.system_key
        yield host, simulator
        host.stop()


@pytest.fixture(scope="module", autouse=True)
def artefacts() -> None:
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)


@pytest.fixture(scope="module")
def web(product: tuple[HostProcess, AcsSimulator]) -> Iterator[str]:
    host, _ = product
    with web_server(host.base_url, host.service_key) as url:
        yield url


def browse(scenario: str, web_url: str, host: HostProcess, **env: str) -> None:
    """Runs one browser scenario of web/e2e/run.mjs; its failure (with a screenshot) fails the test."""
    done = subprocess.run(["node", "e2e/run.mjs", scenario], check=False, cwd=WEB, capture_output=True, text=True,
                          timeout=110, env={**os.environ, "WEB_URL": web_url, "ADMIN_KEY": host.keys.master_key,
                               "ARTEFACTS": str(ARTEFACTS), "CHROMIUM": str(CHROMIUM), **env})
    assert done.returncode == 0, f"{scenario}:\n{done.stdout}\n{done.stderr}"


def test_the_browser_gets_pages_and_admin_api_but_never_the_service_key(web: str, product) -> None:
    host, _ = product
    admin = {"x-functions-key": host.keys.master_key}
    with httpx.Client(base_url=web, timeout=30) as http:
        assert "<div id=\"root\">" in http.get("/calls").text  # the app's own paths are the app
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


def test_the_demo_login_opens_a_session_that_chats_and_ends_without_the_service_key(web: str, product) -> None:
    host, _ = product
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
        customer = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
    with httpx.Client(base_url=web, timeout=30) as http:
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
        assert http.post("/voice/end", headers=headers).status_code == 202
        assert http.post("/voice/chat", json={"message": "still there?"}, headers=headers).status_code == 401
        assert http.get("/voice/status").json() == {"voice": False}
    with connect(f"ws{web.removeprefix('http')}/voice/audio") as socket, pytest.raises(ConnectionClosed) as closed:
        socket.recv(5)
    assert closed.value.rcvd.code == 1013 and "media path" in closed.value.rcvd.reason


def test_an_upload_of_several_files_is_indexed(web: str, product, tmp_path: Path) -> None:
    host, _ = product
    documents = []
    for name, topic in (("Returns.md", "returns within 30 days with the receipt"),
                        ("Warranty.txt", "a two year warranty on frames and one year on parts"),
                        ("Shipping.md", "free shipping on orders over 50 dollars")):
        path = tmp_path / name
        path.write_text(f"# {name}\n\n" + " ".join([f"Our policy covers {topic}."] * 60))
        documents.append(str(path))
    browse("upload", web, host, DOCUMENTS=",".join(documents))
    with host.admin() as http:
        states = {d["id"]: d for d in http.get("/api/admin/documents").json()["items"]}
    assert {Path(p).name for p in documents} <= {n for n, d in states.items() if d["state"] == "indexed"}


def test_generating_a_company_moves_the_progress_bar_and_fills_the_dashboard(web: str, product) -> None:
    host, _ = product
    with host.admin() as http:
        http.delete("/api/admin/company")
    browse("synthetic", web, host, COMPANY=json.dumps(COMPANY))
    with host.admin() as http:
        assert http.get("/api/admin/dashboard").json()["conversations"] > 0


def test_a_phone_call_appears_under_calls_while_it_runs(web: str, product) -> None:
    host, simulator = product
    with host.admin() as http:
        if http.get("/api/admin/company").status_code == 404:
            generate_company(host, SMALL_COMPANY)
        caller = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]["phone"]
    event = simulator.incoming_call(caller)
    correlation = event[0]["data"]["correlationId"]
    simulator.ring(caller, event)
    answer = wait_for(lambda: next((r for r in simulator.requests if r.path.endswith(":answer")
                                    and correlation_of(r.body["incomingCallContext"]) == correlation), None))
    call_id = urlparse(answer.body["callbackUri"]).path.split("/")[3]
    media_token = parse_qs(urlparse(answer.body["mediaStreamingOptions"]["transportUrl"]).query)["token"][0]
    with host.client("service") as service:
        opened = wait_for(lambda: (r := service.post(f"/api/calls/{call_id}/session",
                                                     headers={"x-media-token": media_token})).status_code == 201
                          and r.json(), 20)
        headers = {"x-session-id": opened["session_id"], "x-session-token": opened["token"]}
        assert service.post("/api/chat", json={"message": CALLER_SAID}, headers=headers).status_code == 200
        browse("calls", web, host, CALL_ID=call_id, CALLER_SAID=CALLER_SAID)
        assert service.post("/api/sessions/end", headers=headers).status_code == 202


def test_every_page_has_no_serious_accessibility_violation(web: str, product) -> None:
    host, _ = product
    browse("accessibility", web, host)


def test_a_service_that_is_down_is_said_plainly(product) -> None:
    host, _ = product
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections to it are refused
    try:
        with web_server(f"http://127.0.0.1:{closed.getsockname()[1]}", host.service_key) as url:
            with httpx.Client(base_url=url) as http:
                down = http.get("/api/health")
            assert down.status_code == 502 and "not answering" in down.json()["error"]
            browse("down", url, host)
    finally:
        closed.close()
