"""`make demo`: the product's main job on the embedded default, end to end.

Starts the local stack and the host (unless already up), runs the diagnostics orchestration
through its HTTP trigger, shows its progress and result, and stops what it started.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx

from local.up import down, up

TERMINAL = {"Completed", "Failed", "Terminated"}


def run_diagnostics(http: httpx.Client, timeout_seconds: float = 90.0) -> dict:
    started = http.post("/api/admin/diagnostics")
    started.raise_for_status()
    instance_id = started.json()["id"]
    print(f"diagnostics orchestration {instance_id} started (HTTP {started.status_code})")
    deadline, last = time.monotonic() + timeout_seconds, None
    while time.monotonic() < deadline:
        status = http.get(f"/api/admin/diagnostics/{instance_id}").json()
        progress = (status["runtimeStatus"], status["progress"])
        if progress != last:
            done = status["progress"] or {}
            print(f"  {status['runtimeStatus']:<10} {done.get('done', 0)}/{done.get('total', '?')} checked"
                  f" {', '.join(done.get('checked', []))}")
            last = progress
        if status["runtimeStatus"] in TERMINAL:
            return status
        time.sleep(0.2)
    raise TimeoutError(f"diagnostics {instance_id} did not finish within {timeout_seconds:g} s")


def main() -> int:
    root = Path.cwd()
    started = time.perf_counter()
    running = up(root)
    print(f"stack and host up in {time.perf_counter() - started:.1f} s at {running.base_url}")
    try:
        with httpx.Client(base_url=running.base_url, headers={"x-functions-key": running.function_key},
                          timeout=30) as http:
            status = run_diagnostics(http)
        result = status["result"] or {}
        print(f"\nresult: {status['runtimeStatus']}, {result.get('status')} in {result.get('mode')} mode")
        for name, report in (result.get("dependencies") or {}).items():
            print(f"  {name:<8} {report['status']:<7} {report['latency_ms']:>8.1f} ms  {report['detail']}")
        return 0 if status["runtimeStatus"] == "Completed" and result.get("status") == "healthy" else 1
    finally:
        down(root, host=running.started_host, stack=running.started_stack)


if __name__ == "__main__":
    sys.exit(main())
