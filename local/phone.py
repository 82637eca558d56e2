"""The phone simulator's caller, with a voice: places a call through the ACS simulator, speaks each turn
(espeak-ng, a voice unlike the agent's), can cut in while the agent talks, transcribes what the agent says
back (whisper tiny.en), and prints the conversation with each turn's latency: the end of the caller's speech
to the agent's first audio, as the caller's side of the media stream sees it.

`make call` (`python -m local.phone`) runs one whole call offline: the stack, the host and the media app
with the cascade engine, IncomingCall, the signed answer, the media WebSocket, agents and tools, Cosmos DB
writes, the hang-up and the post-call record.
"""

from __future__ import annotations

import base64
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np

from local.acs.media import MediaStream
from local.acs.simulator import AcsSimulator, correlation_of
from local.caller_voice import silence, speak
from local.host.config import HostKeys
from local.up import Running

QUIET_SECONDS = 1.5  # no agent audio for this long: the agent has finished its answer
ANSWER_SECONDS = 30.0
PIECE = 20 * 16000  # the agent's speech is transcribed 20 s at a time


@dataclass(frozen=True)
class Line:
    """What the caller says; `cut_in_after_ms`: said while the agent answers the previous line, that far in."""

    text: str
    cut_in_after_ms: int | None = None
    pause_ms: int = 0  # a pause mid-sentence, after the first `pause_after` words
    pause_after: int = 0


@dataclass
class Heard:
    line: Line
    latency_ms: float | None
    agent_said: str
    stopped_after_ms: float | None = None  # a cut-in: the agent's StopAudio, after the caller began


def _until(check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.01)
    return None


class SpokenCaller:
    def __init__(self, stream: MediaStream) -> None:
        self.stream = stream
        from shared.voice.recogniser import recogniser

        self._recogniser = recogniser()

    def voice(self, line: Line) -> bytes:
        rate = self.stream.rate
        if not line.pause_ms:
            return speak(line.text, rate)
        words = line.text.split()
        return (speak(" ".join(words[:line.pause_after]), rate) + silence(line.pause_ms, rate)
                + speak(" ".join(words[line.pause_after:]), rate))

    def say(self, line: Line, answer_began: float | None) -> Heard:
        pcm, stopped_after = self.voice(line), None
        if line.cut_in_after_ms is not None and answer_began is not None:
            _until(lambda: time.monotonic() >= answer_began + line.cut_in_after_ms / 1000, ANSWER_SECONDS)
        else:
            self.quiet()
        stops, sent = len(self.stream.stops), len(self.stream.speech_sent)
        self.stream.say(pcm)
        ended = _until(lambda: self.stream.idle and len(self.stream.speech_sent) > sent
                       and self.stream.speech_sent[-1], ANSWER_SECONDS + len(pcm) / self.stream.rate / 2)
        if ended is None:  # the call is over (the agent hung up)
            return Heard(line, None, "")
        began = self.stream.speech_sent[sent] if len(self.stream.speech_sent) > sent else None
        if line.cut_in_after_ms is not None and len(self.stream.stops) > stops and began is not None:
            stopped_after = (self.stream.stops[stops].at - began) * 1000
        first = _until(lambda: next((f for f in self.stream.agent_frames if f.at > ended), None), ANSWER_SECONDS)
        self.quiet()
        said = self.transcribe([f for f in self.stream.agent_frames if first is not None and f.at >= first.at])
        return Heard(line, (first.at - ended) * 1000 if first else None, said, stopped_after)

    def quiet(self) -> None:
        """Waits until the agent has not spoken for a while."""
        _until(lambda: not self.stream.agent_frames or time.monotonic() - self.stream.agent_frames[-1].at
               > QUIET_SECONDS, ANSWER_SECONDS)

    def transcribe(self, frames: list[Any]) -> str:
        from shared.voice.resampling import resample_pcm

        pcm = resample_pcm(b"".join(base64.b64decode(f.data) for f in frames), self.stream.rate, 16000)
        samples = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
        pieces = [samples[i:i + PIECE] for i in range(0, samples.size, PIECE)]  # whisper hears 30 s at most
        return " ".join(self._recogniser.transcribe(piece).text for piece in pieces)


def spoken_date(iso: str) -> str:
    return datetime.strptime(iso, "%Y-%m-%d").strftime("%B %-d, %Y")


def place_spoken_call(simulator: AcsSimulator, admin: httpx.Client, system_key: str, customer: dict,
                      lines: list[Line]) -> tuple[list[Heard], dict]:
    """Rings as `customer`, says `lines`, prints each turn; returns them and the call's final status."""
    event = simulator.incoming_call(customer["phone"])
    correlation_id = event[0]["data"]["correlationId"]
    simulator.ring(customer["phone"], event)
    answer = _until(lambda: next((r for r in simulator.requests if r.path.endswith(":answer")
                                  and correlation_of(r.body["incomingCallContext"]) == correlation_id), None), 30)
    call_id = urlparse(answer.body["callbackUri"]).path.split("/")[3]
    connection_id = next(c.connection_id for c in simulator.calls.values() if c.correlation_id == correlation_id)
    stream = simulator.media_for(connection_id, 30)
    caller = SpokenCaller(stream)
    print(f"  answered, media {answer.body['mediaStreamingOptions']['audioFormat']} over the media WebSocket")
    greeting = _until(lambda: stream.agent_frames and stream.agent_frames[0], ANSWER_SECONDS)
    caller.quiet()
    print(f"  agent: {caller.transcribe([f for f in stream.agent_frames if greeting and f.at >= greeting.at])}")
    heard: list[Heard] = []
    for line in lines:
        if stream.close_code is not None:
            print("  (the call has ended)")
            break
        previous = heard[-1] if heard else None
        began = None
        if previous is not None and previous.latency_ms is not None:
            began = stream.agent_frames[-1].at if line.cut_in_after_ms is None else _answer_start(stream, line)
        turn = caller.say(line, began)
        heard.append(turn)
        latency = f"{turn.latency_ms:5.0f} ms" if turn.latency_ms is not None else "  no answer"
        cut = f"  [cut in: the agent stopped {turn.stopped_after_ms:.0f} ms after the caller began]" \
            if turn.stopped_after_ms is not None else ""
        print(f"  caller: {line.text}{cut}\n  agent ({latency}): {turn.agent_said}")
    if stream.close_code is None:
        simulator.hang_up(connection_id)

    def status() -> dict:
        found = admin.get(f"/runtime/webhooks/durabletask/instances/{call_id}",
                          headers={"x-functions-key": system_key})
        return found.json() if found.status_code in (200, 202) else {}

    done = _until(lambda: (s := status()).get("runtimeStatus") in {"Completed", "Failed"} and s, 60) or {}
    return heard, done


def _answer_start(stream: MediaStream, line: Line) -> float:
    """When the answer now playing began (the last frame after a gap)."""
    frames, start = stream.agent_frames, stream.agent_frames[-1].at
    for earlier, later in zip(reversed(frames[:-1]), reversed(frames[1:]), strict=False):
        if later.at - earlier.at > 0.3:
            break
        start = earlier.at
    return start


def script(customer: dict, product: dict) -> list[Line]:
    born = spoken_date(customer["date_of_birth"])
    return [
        Line("I want to check if you have the up-to-date information about me."),
        Line(f"My postal code is {customer['address']['postal_code']} and I was born on {born}.", pause_ms=500,
             pause_after=6),
        Line("Please change my address to 12 Harbour Street, 8001 Zurich, Switzerland."),
        Line("Yes, please."),
        Line("Can you send me a confirmation by email?"),
        Line("Yes."),
        Line(f"I want to take a new order with 2 units of {product['name']}."),
        Line("Yes."),
        Line("What products are currently available from your product catalog?"),
        Line("Wait, I have another question.", cut_in_after_ms=1500),
        Line("That's all, thank you."),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def media_path(running: Running, port: int) -> Iterator[None]:
    """The media app with the cascade engine on `port` (the host was started with MEDIA_BASE_URL pointing there)."""
    from local.threaded_server import serving
    from media.app import create_app
    from media.server import UVICORN
    from media.settings import MediaSettings

    settings = MediaSettings(function_app_url=running.base_url, service_key=running.service_key,
                             voice_engine="cascade")
    with serving(create_app(settings), port=port, **UVICORN):
        yield


def main() -> int:
    from local.demo import create_company
    from local.up import down, up

    root = Path.cwd()
    with AcsSimulator(root / ".local" / "acs", host_url="", system_key="").serving() as simulator:
        media_port = free_port()
        os.environ.update(ACS_CONNECTION_STRING=simulator.connection_string, ACS_VERIFY_TLS=str(simulator.certificate),
                          MEDIA_BASE_URL=f"ws://127.0.0.1:{media_port}")
        running = up(root)
        system_key = HostKeys("", running.master_key).system_key
        simulator.host_url, simulator.system_key = running.base_url, system_key
        try:
            if not running.started_host:
                print("the host was started before the simulator: `make down` first")
                return 1
            with media_path(running, media_port), httpx.Client(
                    base_url=running.base_url, headers={"x-functions-key": running.master_key}, timeout=30) as http:
                create_company(http)
                return 0 if call(http, simulator, system_key) else 1
        finally:
            down(root, host=running.started_host, stack=running.started_stack)


def call(http: httpx.Client, simulator: AcsSimulator, system_key: str) -> bool:
    """One spoken call; checks what it did in Cosmos DB and the outbox."""
    customer = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
    product = max(http.get("/api/admin/products").json()["items"], key=lambda p: p["stock"])
    print(f"\nspoken call from {customer['first_name']} {customer['last_name']} (caller: espeak-ng; agent: piper "
          "joe on the cascade engine, offline brain):")
    heard, done = place_spoken_call(simulator, http, system_key, customer, script(customer, product))
    address = http.get(f"/api/admin/customers/{customer['id']}").json()["address"]
    stock = next(p for p in http.get("/api/admin/products").json()["items"] if p["id"] == product["id"])["stock"]
    mails = [m for m in http.get("/api/admin/outbox").json()["items"] if m["to"] == customer["email"]]
    tools = ((done.get("output") or {}).get("tool_counts")) or (done.get("customStatus") or {}).get("tool_counts", {})
    latencies = sorted(h.latency_ms for h in heard if h.latency_ms is not None)
    print(f"\n  address now: {address['street']}, {address['postal_code']} {address['city']}, {address['country']}")
    print(f"  order: {product['name']} stock {product['stock']} -> {stock}; tools run: {tools}")
    print(f"  emails in the outbox for {customer['email']}: {len(mails)}")
    if latencies:
        print(f"  end of speech -> first agent audio: p50 {latencies[len(latencies) // 2]:.0f} ms, "
              f"max {latencies[-1]:.0f} ms over {len(latencies)} turns")
    phases = " -> ".join(p["phase"] for p in (done.get("output") or {}).get("timeline", []))
    print(f"  call {done.get('runtimeStatus')}: {phases}; post-call record "
          f"{(done.get('output') or {}).get('conversation_id')}")
    changed = address["city"] == "Zurich" and stock == product["stock"] - 2 and bool(mails)
    return changed and done.get("runtimeStatus") == "Completed"


if __name__ == "__main__":
    sys.exit(main())
