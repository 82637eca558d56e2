"""`make up` / `make down`: the local stack and the host in the background.

`python -m local.up` starts what is not running yet and prints the host's base URL;
`python -m local.up --down` stops what it started, by the PIDs it recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from local import processes
from local.private import own_dir
from local.stack import Stack

HOST_MARKER = "local.host"


@dataclass(frozen=True)
class Running:
    base_url: str
    function_key: str
    master_key: str  # the admin routes' key
    service_key: str  # what the media container and the web backend hold: sessions, tools, chat
    started_stack: bool
    started_host: bool


def host_state(data_dir: Path) -> dict | None:
    state_file = data_dir / "host.state.json"
    if not state_file.is_file():
        return None
    state = json.loads(state_file.read_text())
    return state if processes.is_ours(state["pid"], HOST_MARKER) else None


def up(root: Path, state_dir: Path | None = None, port: int | None = None, timeout_seconds: float = 60.0) -> Running:
    """Starts what is not running, keeping all state under `state_dir` (default `.local`): the
    stack's data, the host's Durable history and receipts, the local knowledge index. Another
    `state_dir` gets a stack on free ports."""
    state_dir = state_dir or root / ".local"
    # Ours by name, and they hold the logs: 0700 even when an older version made them.
    stack_dir, host_dir = own_dir(state_dir / "stack"), own_dir(state_dir / "host")
    started_stack = Stack.running(stack_dir) is None
    endpoints = Stack(stack_dir).up(prefer_standard_ports=state_dir == root / ".local")
    state = host_state(host_dir)
    started_host = state is None
    if started_host:
        (host_dir / "host.state.json").unlink(missing_ok=True)
        command = [sys.executable, "-m", HOST_MARKER, "--data-dir", str(host_dir)]
        if port is not None:
            command += ["--port", str(port)]
        # The stack's endpoints and the state folder replace the file's defaults; explicit environment wins.
        env = {**endpoints.as_settings(), "LOCAL_DATA_DIR": str(state_dir / "data"), **os.environ}
        process = processes.start(command, host_dir / "host.log", cwd=root, env=env)
        state = _wait_ready(host_dir, process, timeout_seconds)
    settings = json.loads((root / "local.settings.json").read_text())
    keys = settings["Host"]
    return Running(state["base_url"], keys["FunctionKey"], keys["MasterKey"], settings["Values"]["SERVICE_KEY"],
                   started_stack, started_host)


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
    print(f"try:  curl -s {running.base_url}/api/health")


if __name__ == "__main__":
    main()
