"""IncomingCall to answer request: how long a caller hears ringing on our side, p50/p95 on a warm host
(target p95 <= 50 ms) and for the first call after the host started (cold).

The ACS simulator publishes IncomingCall to the host's Event Grid webhook and times the signed answer
request it receives. Run: .venv/bin/python bench/answer.py
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
from local.demo import follow  # noqa: E402
from local.up import down, up  # noqa: E402

CALLS = 40
TARGET_MS = 50.0
COMPANY = {"name": "Bench Outdoor", "industry": "outdoor gear", "customers": 20, "products": 5, "purchases": 10,
           "conversations": 5, "seed": 2}


def answer_ms(simulator: AcsSimulator, caller: str) -> float:
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
                return (request.at - began) * 1000
        simulator.arrivals.wait(1)
        simulator.arrivals.clear()
    raise RuntimeError("the call was not answered")


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
                cold = answer_ms(simulator, phones[0])
                warm = [answer_ms(simulator, phones[1 + i % (len(phones) - 1)]) for i in range(CALLS)]
            finally:
                down(ROOT, state_dir=Path(state))
    p95 = statistics.quantiles(warm, n=20)[18]
    print(f"IncomingCall -> answer request, cold (first call after start): {cold:.1f} ms")
    print(f"warm, {CALLS} calls: p50 {statistics.median(warm):.1f} ms, p95 {p95:.1f} ms (target p95 <= {TARGET_MS:g})")
    return 0 if p95 <= TARGET_MS else 1


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
