"""Round trip of a tool call through POST /api/tools/{name} on the local host (target: p95 <= 50 ms).

Measures `handoff` (no tool I/O: key, session check, validation, and the report to the session's
conversation orchestration) and `get_customer_profile` (one Cosmos point read on top), 300 calls
each after a warm-up.
Run: .venv/bin/python bench/tools.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.demo import follow  # noqa: E402
from local.up import down, up  # noqa: E402

CALLS, TARGET_MS = 300, 50.0
COMPANY = {"name": "Bench Outdoor", "industry": "outdoor", "customers": 5, "products": 5, "purchases": 5,
           "conversations": 0}
TOOLS = {"handoff": {"agent": "router", "reason": "bench"}, "get_customer_profile": {}}


def measure(http: httpx.Client, headers: dict[str, str], tool: str, arguments: dict) -> list[float]:
    timings = []
    for n in range(CALLS + 20):
        began = time.perf_counter()
        answer = http.post(f"/api/tools/{tool}", json=arguments, headers=headers)
        elapsed = (time.perf_counter() - began) * 1000
        assert answer.status_code == 200 and answer.json()["ok"], answer.text
        if n >= 20:  # warm-up: first imports and connections
            timings.append(elapsed)
    return timings


def main() -> int:
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-tools-") as state:
        running = up(ROOT, state_dir=Path(state), port=0)
        try:
            with httpx.Client(base_url=running.base_url, headers={"x-functions-key": running.master_key},
                              timeout=30) as http:
                started = http.post("/api/admin/synthetic", json=COMPANY)
                follow(http, started.json()["statusUri"], lambda p: "", 60)
                me = http.get("/api/admin/customers/cust-00000").json()
                headers = {"x-service-key": running.service_key}
                session = http.post("/api/sessions", json={"channel": "chat", "customer_id": me["id"]},
                                    headers=headers).json()
                headers |= {"x-session-id": session["session_id"], "x-session-token": session["token"]}
                http.post("/api/tools/verify_caller", headers=headers, json={
                    "postal_code": me["address"]["postal_code"], "date_of_birth": me["date_of_birth"]})
                for tool, arguments in TOOLS.items():
                    timings = measure(http, headers, tool, arguments)
                    p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
                    worst = max(worst, p95)
                    print(f"{tool:<22} {CALLS} calls: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= {TARGET_MS:g})")
        finally:
            down(ROOT, state_dir=Path(state))
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
