"""`make demo`: the product's main job on the embedded default, end to end.

Starts the ACS simulator, the local stack and the host (unless already up), runs the diagnostics
orchestration, creates the synthetic company when none exists (a Durable fan-out into Cosmos DB),
shows the dashboard, indexes the sample knowledge corpus, holds a short chat with the agents (one
turn sends an email, shown as the local SMTP server received it), places a spoken phone call through the
simulator and the media path (local/phone: the cascade engine, offline), and stops what it started.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from local.acs.simulator import AcsSimulator
from local.host.config import HostKeys
from local.phone import call, free_port, media_path
from local.up import Running, down, up

TERMINAL = {"Completed", "Failed", "Terminated"}
DEMO_COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 50, "products": 20,
                "purchases": 200, "conversations": 100, "seed": 7}


def follow(http: httpx.Client, status_path: str, render: Callable[[dict], str], timeout_seconds: float) -> dict:
    """Polls an orchestration's status, printing each change of its progress, until it ends."""
    deadline, last = time.monotonic() + timeout_seconds, None
    while time.monotonic() < deadline:
        status = http.get(status_path).json()
        line = f"  {status['runtimeStatus']:<10} {render(status.get('progress') or {})}"
        if line != last:
            print(line)
            last = line
        if status["runtimeStatus"] in TERMINAL:
            return status
        time.sleep(0.2)
    raise TimeoutError(f"{status_path} did not finish within {timeout_seconds:g} s")


def run_diagnostics(http: httpx.Client, timeout_seconds: float = 90.0) -> dict:
    started = http.post("/api/admin/diagnostics")
    started.raise_for_status()
    instance_id = started.json()["id"]
    print(f"diagnostics orchestration {instance_id} started (HTTP {started.status_code})")
    return follow(http, f"/api/admin/diagnostics/{instance_id}",
                  lambda p: f"{p.get('done', 0)}/{p.get('total', '?')} checked {', '.join(p.get('checked', []))}",
                  timeout_seconds)


def create_company(http: httpx.Client, timeout_seconds: float = 120.0) -> dict | None:
    """Generates the demo company unless one exists; returns the run's final status."""
    if http.get("/api/admin/company").status_code == 200:
        print("\na company exists already: keeping it")
        return None
    started = http.post("/api/admin/synthetic", json=DEMO_COMPANY)
    started.raise_for_status()
    print(f"\nsynthetic company {DEMO_COMPANY['name']!r}: run {started.json()['id']}")
    began = time.perf_counter()
    status = follow(http, started.json()["statusUri"],
                    lambda p: "  ".join(f"{kind} {n['done']}/{n['total']}"
                                        for kind, n in (p.get("progress") or {}).items()),
                    timeout_seconds)
    print(f"  generated in {time.perf_counter() - began:.1f} s: {(status['result'] or {}).get('status')}")
    return status


def load_documents(http: httpx.Client, timeout_seconds: float = 60.0) -> None:
    """Uploads the sample corpus when the knowledge base is empty, and waits until it is indexed."""
    from local.sample_corpus import build

    if http.get("/api/admin/documents").json()["items"]:
        return
    with tempfile.TemporaryDirectory() as folder:
        for path in build(Path(folder), DEMO_COMPANY["name"]):
            http.post("/api/admin/documents", files={"file": (path.name, path.read_bytes())}).raise_for_status()
    began, deadline = time.perf_counter(), time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        states = [d["state"] for d in http.get("/api/admin/documents").json()["items"]]
        if len(states) == 5 and all(s in {"indexed", "failed"} for s in states):
            break
        time.sleep(0.2)
    print(f"\nknowledge base: {len(states)} documents uploaded and indexed in {time.perf_counter() - began:.1f} s "
          "(blob trigger -> ingestion orchestration)")


def chat(http: httpx.Client, service_key: str) -> None:
    """A short text conversation with the agents, as the first customer, who verifies with facts on file."""
    customer = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
    headers = {"x-service-key": service_key}
    session = http.post("/api/sessions", json={"channel": "chat", "customer_id": customer["id"]},
                        headers=headers).json()
    headers |= {"x-session-id": session["session_id"], "x-session-token": session["token"]}
    print(f"\nchat as {customer['first_name']} {customer['last_name']} (offline brain):")
    for message in ("I want to check if you have the up-to-date information about me.",
                    f"My postal code is {customer['address']['postal_code']} and my date of birth is "
                    f"{customer['date_of_birth']}.",
                    "Email me a confirmation of my order.", "Yes",
                    "Looking at the internal knowledge base, could you tell me how long the warranty is?",
                    "What is the latest news about the company?", "That's all, thank you"):
        turn = http.post("/api/chat", json={"message": message}, headers=headers).json()
        tools = ", ".join(c["name"] for c in turn["tool_calls"])
        print(f"  caller: {message}\n  {turn['agent']} [{tools}]: {turn['reply']}")
    show_email(http, customer["email"])


def show_email(http: httpx.Client, address: str) -> None:
    """The email the agent sent, as the local SMTP server received it."""
    received = [m for m in http.get("/api/admin/outbox").json()["items"] if m["to"] == address]
    if not received:
        print("\nno email reached the local SMTP server")
        return
    mail = received[0]
    print(f"\nthe local SMTP server received:\n  From: {mail['from']}\n  To: {mail['to']}\n"
          f"  Subject: {mail['subject']}\n  Message-ID: {mail['message_id']}\n  Received: {mail['received_at']}\n"
          + "".join(f"  | {line}\n" for line in mail["body"].splitlines()))


def show_dashboard(http: httpx.Client) -> None:
    figures = http.get("/api/admin/dashboard").json()
    print(f"\ndashboard: {figures['conversations']} conversations of {figures['company']['name']}")
    for dimension in ("by_topic", "by_agent", "by_sentiment", "by_outcome"):
        top = sorted(figures[dimension].items(), key=lambda kv: -kv[1])[:5]
        print(f"  {dimension[3:]:<10} " + ", ".join(f"{key} {count}" for key, count in top))


def phone_call(http: httpx.Client, simulator: AcsSimulator, running: Running) -> bool:
    """A spoken call from the first customer: verification, an address change, an order, an email, a cut-in."""
    before = http.get("/api/admin/dashboard").json()["conversations"]
    done = call(http, simulator, HostKeys("", running.master_key).system_key)
    after = http.get("/api/admin/dashboard").json()["conversations"]
    print(f"  dashboard: {before} -> {after} conversations")
    return done


def main() -> int:
    root = Path.cwd()
    started = time.perf_counter()
    with AcsSimulator(root / ".local" / "acs", host_url="", system_key="").serving() as simulator:
        media_port = free_port()
        os.environ.update(ACS_CONNECTION_STRING=simulator.connection_string, ACS_VERIFY_TLS=str(simulator.certificate),
                          MEDIA_BASE_URL=f"ws://127.0.0.1:{media_port}")
        running = up(root)
        simulator.host_url, simulator.system_key = running.base_url, HostKeys("", running.master_key).system_key
        print(f"stack and host up in {time.perf_counter() - started:.1f} s at {running.base_url}")
        with media_path(running, media_port):
            return _demo(root, running, simulator)


def _demo(root: Path, running: Running, simulator: AcsSimulator) -> int:
    try:
        with httpx.Client(base_url=running.base_url, headers={"x-functions-key": running.master_key},
                          timeout=30) as http:
            status = run_diagnostics(http)
            result = status["result"] or {}
            print(f"result: {status['runtimeStatus']}, {result.get('status')} in {result.get('mode')} mode")
            for name, report in (result.get("dependencies") or {}).items():
                print(f"  {name:<10} {report['status']:<7} {report['latency_ms']:>8.1f} ms  {report['detail']}")
            company = create_company(http)
            show_dashboard(http)
            load_documents(http)
            chat(http, running.service_key)
            called = phone_call(http, simulator, running) if running.started_host else None
            if called is None:
                print("\nphone call skipped: the host was started before the simulator (`make down` first)")
        healthy = status["runtimeStatus"] == "Completed" and result.get("status") == "healthy"
        generated = company is None or company["runtimeStatus"] == "Completed"
        return 0 if healthy and generated and called is not False else 1
    finally:
        down(root, host=running.started_host, stack=running.started_stack)


if __name__ == "__main__":
    sys.exit(main())
