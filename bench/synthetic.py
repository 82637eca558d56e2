"""Time to generate the 50/20/200/100 company offline, end to end (target: at most 60 s).

Runs its own stack and host (free ports, a temporary state folder): HTTP trigger, Durable
fan-out of batch activities, Cosmos DB writes and dashboard counters, as in production.
Run: .venv/bin/python bench/synthetic.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.demo import DEMO_COMPANY, follow  # noqa: E402
from local.up import down, up  # noqa: E402

TARGET_SECONDS = 60.0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-synthetic-") as state:
        running = up(ROOT, state_dir=Path(state), port=0)
        try:
            with httpx.Client(base_url=running.base_url, headers={"x-functions-key": running.master_key},
                              timeout=30) as http:
                began = time.perf_counter()
                started = http.post("/api/admin/synthetic", json=DEMO_COMPANY)
                started.raise_for_status()
                status = follow(http, started.json()["statusUri"], lambda p: "", TARGET_SECONDS * 3)
                elapsed = time.perf_counter() - began
                figures = http.get("/api/admin/dashboard").json()
        finally:
            down(ROOT, state_dir=Path(state))
    sizes = "/".join(str(DEMO_COMPANY[k]) for k in ("customers", "products", "purchases", "conversations"))
    print(f"generated the {sizes} company in {elapsed:.1f} s (target <= {TARGET_SECONDS:.0f} s): "
          f"{status['result']['status']}, {figures['conversations']} conversations on the dashboard")
    return 0 if status["result"]["status"] == "complete" and elapsed <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
