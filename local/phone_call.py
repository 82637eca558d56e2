"""A phone call placed through the ACS simulator, end to end: ring, answer, connect, the call's session,
a few caller turns, the agent ending the call, the post-call record.

Until the media path exists the call carries no audio: the caller's turns go through /api/chat with
the session the media path would get for the call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import httpx

from local.acs.simulator import AcsSimulator, correlation_of


def _until(check: Callable[[], object], timeout_seconds: float = 30.0) -> object:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise TimeoutError("the call did not get there in time")


def place_call(simulator: AcsSimulator, admin: httpx.Client, *, service_key: str, system_key: str,
               customer: dict, lines: list[str]) -> dict:
    """Rings as `customer`, says `lines`, and returns the call's final orchestration status."""
    event = simulator.incoming_call(customer["phone"])
    correlation_id = event[0]["data"]["correlationId"]
    began = time.perf_counter()
    simulator.ring(customer["phone"], event)
    answer = _until(lambda: next((r for r in simulator.requests if r.path.endswith(":answer")
                                  and correlation_of(r.body["incomingCallContext"]) == correlation_id), None))
    print(f"  ringing -> answered in {(answer.at - began) * 1000:.0f} ms (signed request: {answer.signed}, "
          f"media {answer.body['mediaStreamingOptions']['audioFormat']}, bidirectional)")
    call_id = urlparse(answer.body["callbackUri"]).path.split("/")[3]
    media_token = parse_qs(urlparse(answer.body["mediaStreamingOptions"]["transportUrl"]).query)["token"][0]

    def status() -> dict:
        found = admin.get(f"/runtime/webhooks/durabletask/instances/{call_id}",
                          headers={"x-functions-key": system_key})
        return found.json() if found.status_code in (200, 202) else {}

    _until(lambda: (status().get("customStatus") or {}).get("phase") == "connected")
    opened = admin.post(f"/api/calls/{call_id}/session", headers={"x-service-key": service_key,
                                                                  "x-media-token": media_token}).json()
    headers = {"x-service-key": service_key, "x-session-id": opened["session_id"],
               "x-session-token": opened["token"]}
    print(f"  connected: {call_id}, caller identified as {opened['customer_id'] or 'unknown'} (not verified)")
    print("  (no audio yet: the media path comes next; the caller's turns go through the call's session)")
    for line in lines:
        turn = admin.post("/api/chat", json={"message": line}, headers=headers).json()
        print(f"  caller: {line}\n  {turn['agent']}: {turn['reply'][:160]}")
    done = _until(lambda: (s := status()).get("runtimeStatus") in {"Completed", "Failed"} and s)
    phases = " -> ".join(p["phase"] for p in done["output"]["timeline"])
    print(f"  {done['output']['status']}: {phases}; post-call record {done['output'].get('conversation_id')}")
    return done
