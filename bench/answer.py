"""IncomingCall to answer request: how long a caller hears ringing on our side, p50/p95 on a warm host
(target p95 <= 50 ms) and for the first call after the host started (cold).

The ACS simulator publishes IncomingCall to the host's Event Grid webhook and times the signed answer
request it receives. On the warm host each call connects, streams its media, is hung up and has its
post-call record written before the next one rings. A second figure rings calls back to back and leaves
them live, so each answer shares this machine's two cores with the earlier calls' set-up, media and
spoken engine (in Azure the media path runs elsewhere): no target, it shows what load costs.
Run: .venv/bin/python bench/answer.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.acs.simulator import AcsSimulator, correlation_of  # noqa: E402
from local.demo import TERMINAL, follow  # noqa: E402
from local.up import down, up  # noqa: E402
from shared.calls.incoming import IncomingCall  # noqa: E402

CALLS = 40
LIVE_CALLS = 20
TARGET_MS = 50.0
COMPANY = {"name": "Bench Outdoor", "industry": "outdoor gear", "customers": 20, "products": 5, "purchases": 10,
           "conversations": 5, "seed": 2}


def answer_ms(simulator: AcsSimulator, caller: str) -> tuple[float, str]:
    """The answer's latency and the call's correlation id."""
    event = simulator.incoming_call(caller)
    correlation_id = event[0]["data"]["correlationId"]
    simulator.arrivals.clear()
    began = time.perf_counter()
    simulator.ring(caller, event)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # woken by each request the simulator receives, no busy polling
        for request in simulator.requests:
            if (request.path.endswith(":answer")
                    and correlation_of(request.body["incomingCallContext"]) == correlation_id):
                return (request.at - began) * 1000, correlation_id
        simulator.arrivals.wait(1)
        simulator.arrivals.clear()
    raise RuntimeError("the call was not answered")


def answer_alone_ms(simulator: AcsSimulator, http: httpx.Client, media_url: str, caller: str) -> float:
    """One call on an otherwise quiet host: answered, connected, hung up, its post-call record written and the
    media path done with it."""
    latency, correlation_id = answer_ms(simulator, caller)
    call = next(c for c in list(simulator.calls.values()) if c.correlation_id == correlation_id)
    simulator.media_for(call.connection_id)
    simulator.hang_up(call.connection_id)
    instance = IncomingCall("", "", "", "", correlation_id, "").call_id
    deadline = time.monotonic() + 60
    while http.get(f"/runtime/webhooks/durabletask/instances/{instance}").json()["runtimeStatus"] not in TERMINAL:
        if time.monotonic() > deadline:
            raise TimeoutError(f"call {instance} did not finish its post-call work")
        time.sleep(0.1)
    while httpx.get(f"{media_url}/health").json()["calls"]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the media path still carries call {instance}")
        time.sleep(0.1)
    return latency


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-answer-") as state:
        simulator = AcsSimulator(Path(state) / "acs", host_url="", system_key="")
        with simulator.serving():
            os.environ.update(ACS_CONNECTION_STRING=simulator.connection_string,
                              ACS_VERIFY_TLS=str(simulator.certificate))
            running = up(ROOT, state_dir=Path(state), port=0)
            try:
                simulator.host_url, simulator.system_key = running.base_url, _system_key(running.master_key)
                with httpx.Client(base_url=running.base_url, headers={"x-functions-key": running.master_key},
                                  timeout=60) as http:
                    phones = _company_phones(http)
                    callers = [phones[1 + i % (len(phones) - 1)] for i in range(CALLS)]
                    cold = answer_alone_ms(simulator, http, running.media_url, phones[0])
                    warm = [answer_alone_ms(simulator, http, running.media_url, caller) for caller in callers]
                    live = [answer_ms(simulator, caller)[0] for caller in callers[:LIVE_CALLS]]
            finally:
                down(ROOT, state_dir=Path(state))
    p95 = _p95(warm)
    print(f"IncomingCall -> answer request, cold (first call after start): {cold:.1f} ms")
    print(f"warm, {CALLS} calls one after another: p50 {statistics.median(warm):.1f} ms, p95 {p95:.1f} ms "
          f"(target p95 <= {TARGET_MS:g})")
    print(f"back to back, {LIVE_CALLS} calls left live on the same two cores: p50 {statistics.median(live):.1f} ms, "
          f"p95 {_p95(live):.1f} ms (no target)")
    return 0 if p95 <= TARGET_MS else 1


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def _system_key(master_key: str) -> str:
    from local.host.config import HostKeys

    return HostKeys("", master_key).system_key


def _company_phones(http: httpx.Client) -> list[str]:
    started = http.post("/api/admin/synthetic", json=COMPANY)
    if started.status_code == 202:
        follow(http, started.json()["statusUri"], lambda p: "", 60)
    return [c["phone"] for c in http.get("/api/admin/customers", params={"limit": 20}).json()["items"]]


if __name__ == "__main__":
    sys.exit(main())
