"""`make up` / `make down`: the local stack, the host and the media app in the background.

`python -m local.up` starts what is not running yet and prints the host's base URL and the media
app's; `python -m local.up --down` stops what it started, by the PIDs it recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from local import processes
from local.private import own_dir
from local.stack import Stack

HOST_MARKER = "local.host"
MEDIA_MARKER = "media.server"


@dataclass(frozen=True)
class Running:
    base_url: str
    function_key: str
    master_key: str  # the admin routes' key
    service_key: str  # what the media container and the web backend hold: sessions, tools, chat
    started_stack: bool
    started_host: bool
    media_url: str = ""  # the media app (ACS's media WebSockets, the live transcript feed)
    started_media: bool = False


def host_state(data_dir: Path) -> dict | None:
    state_file = data_dir / "host.state.json"
    if not state_file.is_file():
        return None
    state = json.loads(state_file.read_text())
    return state if processes.is_ours(state["pid"], HOST_MARKER) else None


def media_state(media_dir: Path) -> dict | None:
    state_file = media_dir / "media.state.json"
    if not state_file.is_file():
        return None
    state = json.loads(state_file.read_text())
    return state if processes.is_ours(state["pid"], MEDIA_MARKER) else None


def up(root: Path, state_dir: Path | None = None, port: int | None = None, timeout_seconds: float = 60.0) -> Running:
    """Starts what is not running, keeping all state under `state_dir` (default `.local`): the
    stack's data, the host's Durable history and receipts, the local knowledge index. Another
    `state_dir` gets a stack on free ports, and a media app on a free port too."""
    state_dir = state_dir or root / ".local"
    # Ours by name, and they hold the logs: 0700 even when an older version made them.
    stack_dir, host_dir = own_dir(state_dir / "stack"), own_dir(state_dir / "host")
    media_dir = own_dir(state_dir / "media")
    started_stack = Stack.running(stack_dir) is None
    endpoints = Stack(stack_dir).up(prefer_standard_ports=state_dir == root / ".local")
    settings = json.loads((root / "local.settings.json").read_text())
    media = media_state(media_dir)
    media_port = media["port"] if media else _media_port(settings, standard=state_dir == root / ".local")
    state = host_state(host_dir)
    started_host = state is None
    if started_host:
        (host_dir / "host.state.json").unlink(missing_ok=True)
        command = [sys.executable, "-m", HOST_MARKER, "--data-dir", str(host_dir)]
        if port is not None:
            command += ["--port", str(port)]
        # The stack's endpoints and the state folder replace the file's defaults; explicit environment wins.
        env = {**endpoints.as_settings(), "LOCAL_DATA_DIR": str(state_dir / "data"),
               "MEDIA_BASE_URL": f"ws://127.0.0.1:{media_port}", **os.environ}
        process = processes.start(command, host_dir / "host.log", cwd=root, env=env)
        state = _wait_ready(host_dir, process, timeout_seconds)
    started_media = media is None
    if started_media:
        _start_media(root, media_dir, media_port, state["base_url"], timeout_seconds)
    keys = settings["Host"]
    return Running(state["base_url"], keys["FunctionKey"], keys["MasterKey"], settings["Values"]["SERVICE_KEY"],
                   started_stack, started_host, f"http://127.0.0.1:{media_port}", started_media)


def _media_port(settings: dict, standard: bool) -> int:
    """The port of MEDIA_BASE_URL (where the function app tells ACS to stream), else a free one."""
    if standard:
        return urlparse(settings["Values"].get("MEDIA_BASE_URL") or "ws://127.0.0.1:8765").port or 8765
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_media(root: Path, media_dir: Path, port: int, host_url: str, timeout_seconds: float) -> None:
    """The media app as the container runs it (media/server.py)."""
    command = [sys.executable, "-m", MEDIA_MARKER, "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "FUNCTION_APP_URL": host_url}
    process = processes.start(command, media_dir / "media.log", cwd=root, env=env)
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                (media_dir / "media.state.json").write_text(json.dumps({"pid": process.pid, "port": port}))
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    log = (media_dir / "media.log").read_text(errors="replace")[-3000:]
    raise RuntimeError(f"the media app did not start; the end of {media_dir / 'media.log'}:\n{log}")


def _wait_ready(host_dir: Path, process: subprocess.Popen[bytes], timeout_seconds: float) -> dict:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        state = host_state(host_dir)
        if state and _answers(state["base_url"]):
            return state
        if process.poll() is not None:
            break
        time.sleep(0.1)
    log = (host_dir / "host.log").read_text(errors="replace")[-3000:]
    raise RuntimeError(f"the host did not start; the end of {host_dir / 'host.log'}:\n{log}")


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/admin/host/ping", timeout=30).status_code == 200
    except httpx.TransportError:  # bound but not yet accepting
        return False


def down(root: Path, state_dir: Path | None = None, host: bool = True, stack: bool = True) -> None:
    state_dir = state_dir or root / ".local"
    media = media_state(state_dir / "media")
    if host and media:
        processes.stop(media["pid"], MEDIA_MARKER)
        (state_dir / "media" / "media.state.json").unlink(missing_ok=True)
        print(f"media app stopped (pid {media['pid']})")
    state = host_state(state_dir / "host")
    if host and state:
        processes.stop(state["pid"], HOST_MARKER)
        print(f"host stopped (pid {state['pid']})")
    if stack:
        Stack(state_dir / "stack").down()
        print("stack stopped")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m local.up", description=__doc__)
    parser.add_argument("--down", action="store_true", help="stop the host and the stack")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    root = Path.cwd()
    if args.down:
        down(root)
        return
    running = up(root, port=args.port)
    print(f"host: {running.base_url}  (logs: .local/host/host.log; stop with `make down`)")
    print(f"media: {running.media_url}  (ACS media WebSockets; logs: .local/media/media.log)")
    print(f"try:  curl -s {running.base_url}/api/health")


if __name__ == "__main__":
    main()
