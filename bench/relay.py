"""The media path under load: N simulated ACS calls at once through the media app to a loopback Realtime engine,
beside a bare one-socket echo server measured in the same run as the baseline.

Each call sends AudioMetadata, then one 20 ms AudioData frame (24 kHz, 960 bytes) every 20 ms in real time,
each frame stamped with its call and sequence number. The media app (served as in the container, media/server.py:
uvicorn with uvloop and httptools, the media socket on picows) relays every frame to the realtime engine,
which speaks to a loopback Realtime server over its own WebSocket; that server sends each appended frame
straight back as agent audio, which the media app paces out to the caller. The baseline is one WebSocket per call to a
server that echoes each frame, nothing else. The media app (or the echo server) runs pinned to core 0,
the load generator and the loopback engine to core 1 (`taskset`). The function app is not part of this
run: the media app's requests for a call's session and its transcript are answered in its own process.

Printed per N: calls held, frames lost, round-trip latency p50/p99 and what the media path adds over the
echo, CPU of the server process per call (% of one core) and its memory per call.
Targets: >= 250 concurrent calls per media-server core, p99 added latency <= 20 ms, no frame lost.
Run: .venv/bin/python bench/relay.py [--calls 50 250] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRAME_BYTES, FRAME_SECONDS = 960, 0.02
HEAD = 9  # call (4 bytes), sequence (4), one spare: 12 characters of base64, decodable alone
TAIL = base64.b64encode(bytes(FRAME_BYTES - HEAD)).decode()
APPEND = '{"type":"input_audio_buffer.append","audio":"'
APPEND_BYTES = APPEND.encode()
ARRIVALS: list[tuple[int, int, float]] = []  # the loopback engine's: (call, sequence, when it arrived)
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
DATA = '"data":"'
TARGETS = {"calls_per_core": 250, "p99_added_ms": 20.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the servers (each in its own process) -------------------------------------------------------

async def echo_server(port: int) -> None:
    """The baseline: each frame straight back on its own socket."""
    from websockets.asyncio.server import serve

    async def echo(socket) -> None:
        with contextlib.suppress(Exception):
            async for message in socket:
                await socket.send(message)

    async with serve(echo, "127.0.0.1", port, compression=None, max_size=None):
        await asyncio.Future()


class EngineSide(asyncio.Protocol):
    """A loopback Realtime server connection: every appended frame comes back as agent audio at once. Bare
    WebSocket framing (unmasked by websockets' C helper), so that the engine costs little beside the media app."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.upgraded = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        from websockets.speedups import apply_mask

        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            request = self.buffer[:end].decode(errors="replace")
            key = next(line.split(":", 1)[1].strip() for line in request.split("\r\n")
                       if line.lower().startswith("sec-websocket-key:"))
            accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
            self.transport.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            self.write('{"type":"session.created","session":{"id":"sess_bench","type":"realtime"}}')
            del self.buffer[:end + 4]
            self.upgraded = True
        while len(self.buffer) >= 6:
            opcode, size, at = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if size == 126:
                size, at = struct.unpack_from("!H", self.buffer, 2)[0], 4
            elif size == 127:
                size, at = struct.unpack_from("!Q", self.buffer, 2)[0], 10
            if len(self.buffer) < at + 4 + size:
                return
            mask = bytes(self.buffer[at:at + 4])
            payload = apply_mask(bytes(self.buffer[at + 4:at + 4 + size]), mask)
            del self.buffer[:at + 4 + size]
            if opcode == 8:
                self.transport.close()
                return
            if opcode == 1 and payload.startswith(APPEND_BYTES):
                head = base64.b64decode(payload[len(APPEND_BYTES):len(APPEND_BYTES) + 12])
                ARRIVALS.append((*struct.unpack("<IIB", head)[:2], time.monotonic()))
                self.write('{"type":"response.output_audio.delta","response_id":"resp_bench","item_id":"item_bench",'
                           '"delta":"' + payload[len(APPEND_BYTES):-2].decode() + '"}')

    def write(self, text: str) -> None:
        payload = text.encode()
        size = len(payload)
        head = struct.pack("!BB", 0x81, size) if size < 126 else struct.pack("!BBH", 0x81, 126, size)
        self.transport.write(head + payload)


async def engine_server(port: int) -> None:
    """Serves until SIGTERM; ARRIVALS then holds when each frame arrived (the machine's clock, the generator's)."""
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    server = await loop.create_server(EngineSide, "127.0.0.1", port, backlog=1024)  # calls open at once
    async with server:
        await stop


def media_server(port: int, engine_url: str) -> None:
    """The media app as the container runs it; the function app's answers come from inside the process."""
    import httpx
    import uvicorn

    from media.app import create_app
    from media.function_app_client import FunctionAppClient
    from media.server import UVICORN
    from media.settings import MediaSettings

    facts = {"company": "Bench Outdoor", "customer": {"first_name": "Ada", "last_name": "Bench",
                                                      "loyalty_tier": "gold"}}

    def function_app(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/session"):
            return httpx.Response(201, json={"session_id": "ses-" + "0" * 32, "token": "t", "customer_id": "c",
                                             "first_name": "Ada", "verified": False, "conversation": "x",
                                             "facts": facts})
        return httpx.Response(200, json={})

    settings = MediaSettings(function_app_url="http://function-app.invalid", service_key="bench",
                             voice_engine="realtime", realtime_endpoint=engine_url, realtime_api_key="bench",
                             realtime_turn_detection="server_vad", media_admin_key="", media_drain_seconds=1)
    client = FunctionAppClient(settings, transport=httpx.MockTransport(function_app))
    uvicorn.run(create_app(settings, client=client), host="127.0.0.1", port=port, log_level="warning", **UVICORN)


# -- the load generator --------------------------------------------------------------------------

def frame(call: int, sequence: int) -> str:
    head = base64.b64encode(struct.pack("<IIB", call, sequence, 0)).decode()
    return ('{"kind":"AudioData","audioData":{"timestamp":"2026-12-01T00:00:00Z","participantRawID":"4:+1555",'
            '"data":"' + head + TAIL + '","silent":false}}')


def stamp(message: str) -> tuple[int, int] | None:
    at = message.find(DATA)
    if at < 0:
        return None
    call, sequence, _ = struct.unpack("<IIB", base64.b64decode(message[at + len(DATA):at + len(DATA) + 12]))
    return call, sequence


@dataclass
class Run:
    held: int = 0
    sent: int = 0
    received: int = 0
    latencies: list[float] = field(default_factory=list)
    sent_at: dict[tuple[int, int], float] = field(default_factory=dict)  # every frame's, for the engine's arrivals


class Caller(asyncio.Protocol):
    """One simulated ACS call as a bare WebSocket client: the generator must cost little next to what it
    measures, so frames are written straight to the transport with a zero mask (RFC 6455 allows any key;
    zero leaves the payload as it is) and the server's frames are parsed here."""

    def __init__(self, index: int, run: Run) -> None:
        self.index, self.run = index, run
        self.sent_at: dict[int, float] = {}
        self.buffer = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def send(self, text: str) -> None:
        payload = text.encode()
        size = len(payload)
        head = struct.pack("!BB", 0x81, 0x80 | size) if size < 126 else struct.pack("!BBH", 0x81, 0xFE, size)
        self.transport.write(head + b"\0\0\0\0" + payload)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.upgraded.set_result(self.buffer.startswith(b"HTTP/1.1 101"))
            del self.buffer[:end + 4]
        while len(self.buffer) >= 2:
            opcode, size, at = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if size == 126:
                size, at = struct.unpack_from("!H", self.buffer, 2)[0], 4
            elif size == 127:
                size, at = struct.unpack_from("!Q", self.buffer, 2)[0], 10
            if len(self.buffer) < at + size:
                return
            payload = bytes(self.buffer[at:at + size])
            del self.buffer[:at + size]
            if opcode == 1:
                self.received(payload.decode())
            elif opcode == 9:  # ping: pong, masked with zeros too
                self.transport.write(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload)

    def received(self, message: str) -> None:
        now = time.monotonic()
        found = stamp(message)
        if found and found[0] == self.index and (sent := self.sent_at.pop(found[1], None)) is not None:
            self.run.received += 1
            self.run.latencies.append(now - sent)


async def call(index: int, url: str, run: Run) -> Caller:
    host, _, rest = url.removeprefix("ws://").partition("/")
    address, port = host.split(":")
    _, caller = await asyncio.get_running_loop().create_connection(lambda: Caller(index, run), address, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    caller.transport.write((f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    if not await asyncio.wait_for(caller.upgraded, 30):
        raise RuntimeError(f"{url} refused the WebSocket")
    return caller


async def load(urls: list[str], seconds: float, metadata: bool) -> Run:
    run = Run()
    callers: list[Caller] = []
    for start in range(0, len(urls), 25):  # ACS's calls do not all arrive in the same millisecond either
        callers += await asyncio.gather(*(call(i, urls[i], run) for i in range(start, min(start + 25, len(urls)))))
    if metadata:
        for caller in callers:
            caller.send(json.dumps({"kind": "AudioMetadata", "audioMetadata": {
                "subscriptionId": "bench", "encoding": "PCM", "sampleRate": 24000, "channels": 1,
                "length": FRAME_BYTES}}))
    run.held = len(callers)
    await asyncio.sleep(1.0)  # the engines open and greet
    due, sequence = time.monotonic(), 0
    end = due + seconds
    while due < end:
        now = time.monotonic()
        for caller in callers:
            if caller.transport.is_closing():
                continue
            caller.sent_at[sequence] = now
            run.sent_at[caller.index, sequence] = now
            caller.send(frame(caller.index, sequence))
            run.sent += 1
        sequence += 1
        due += FRAME_SECONDS
        await asyncio.sleep(max(0.0, due - time.monotonic()))
    await asyncio.sleep(1.0)  # what is on its way arrives
    run.held = sum(not c.transport.is_closing() for c in callers)
    for caller in callers:
        caller.transport.write(b"\x88\x82\0\0\0\0\x03\xe8")  # close, 1000
        caller.transport.close()
    return run


# -- measuring -----------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(core: int, *arguments: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["taskset", "-c", str(core), sys.executable, __file__, *arguments], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_listening(port: int, timeout_seconds: float = 60) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass
class Figures:
    held: int
    lost: int
    p50: float  # ms, caller -> (media path -> engine -> media path) -> caller
    p99: float
    cpu_per_call: float  # % of one core
    mb_per_call: float
    inbound: tuple[float, float] | None = None  # ms p50, p99: caller -> media path -> engine


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values) or [float("nan")]
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000


def measure(server: subprocess.Popen[bytes], urls: list[str], seconds: float, metadata: bool) -> tuple[Figures, Run]:
    idle = rss_mb(server.pid)
    cpu_before, started = cpu_seconds(server.pid), time.monotonic()
    run = asyncio.run(load(urls, seconds, metadata))
    cpu = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - started)
    busy = rss_mb(server.pid)
    p50, p99 = percentiles(run.latencies)
    return Figures(run.held, run.sent - run.received, p50, p99, 100 * cpu / max(1, run.held),
                   max(0.0, busy - idle) / max(1, run.held)), run


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[50, 250])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--serve", choices=["echo", "engine", "media"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine-url", help=argparse.SUPPRESS)
    parser.add_argument("--arrivals", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        import uvloop

        if args.serve == "media":
            media_server(args.port, args.engine_url)
        else:
            uvloop.run(echo_server(args.port) if args.serve == "echo" else engine_server(args.port))
            if args.arrivals:
                args.arrivals.write_text(json.dumps(ARRIVALS))
        return
    os.sched_setaffinity(0, {1})  # the load generator: core 1, beside the loopback engine
    import uvloop

    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    print(f"relay: {args.seconds:.0f} s of 20 ms frames per call; server on core 0, load and engine on core 1; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'calls':>6} {'path':>6} {'held':>5} {'lost':>6} {'p50 ms':>7} {'p99 ms':>7} {'added p50/p99':>14} "
          f"{'in p50/p99':>11} {'cpu/call':>9} {'MB/call':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for calls in args.calls:
            arrivals = Path(folder) / f"arrivals-{calls}.json"
            echo_port, engine_port, media_port = free_port(), free_port(), free_port()
            echo = start(0, "--serve", "echo", "--port", str(echo_port))
            engine = start(1, "--serve", "engine", "--port", str(engine_port), "--arrivals", str(arrivals))
            media = start(0, "--serve", "media", "--port", str(media_port), "--engine-url",
                          f"http://127.0.0.1:{engine_port}/v1")
            try:
                for port in (echo_port, engine_port, media_port):
                    wait_listening(port)
                base, _ = measure(echo, [f"ws://127.0.0.1:{echo_port}/"] * calls, args.seconds, metadata=False)
                path, run = measure(media, [f"ws://127.0.0.1:{media_port}/media/call-{i:04d}?token=bench"
                                            for i in range(calls)], args.seconds, metadata=True)
            finally:
                for process in (echo, media, engine):
                    stop(process)
            inbound = [at - run.sent_at[call, sequence] for call, sequence, at in json.loads(arrivals.read_text())
                       if (call, sequence) in run.sent_at]
            path.inbound = percentiles(inbound)
            for name, f in (("echo", base), ("media", path)):
                added = f"{f.p50 - base.p50:+.1f}/{f.p99 - base.p99:+.1f}" if name == "media" else ""
                inside = f"{f.inbound[0]:.1f}/{f.inbound[1]:.1f}" if f.inbound else ""
                print(f"{calls:>6} {name:>6} {f.held:>5} {f.lost:>6} {f.p50:>7.1f} {f.p99:>7.1f} {added:>14} "
                      f"{inside:>11} {f.cpu_per_call:>8.2f}% {f.mb_per_call:>8.2f}")
    print(f"targets: >= {TARGETS['calls_per_core']} calls per media-server core, p99 added <= "
          f"{TARGETS['p99_added_ms']:.0f} ms, no frame lost. `in`: the caller's frame to the engine, one way "
          "(the echo's round trip is two ways of one hop); the round trip also holds the real-time pacing of "
          "the agent's audio, in which every stall of the server longer than the 60 ms lead stays as delay.")


if __name__ == "__main__":
    main()
