"""Background processes the local scripts start, recorded by PID so that only they are stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from local.private import open_private_log


def start(command: Sequence[str], log_path: Path, cwd: Path | None = None,
          env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open_private_log(log_path) as log:  # logs can hold what a request carried
        # A session of its own: Ctrl-C in the terminal that ran `make up` does not reach it.
        return subprocess.Popen(list(command), stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                env=env, start_new_session=True)


def command_line(pid: int) -> str:
    """The process's command line; empty once it has exited."""
    for _ in range(100):
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return ""
        if raw:
            return raw.replace(b"\0", b" ").decode(errors="replace")
        # Empty for a zombie, but also for a live process while the kernel cannot read its memory
        # (seen while Python imports many extension modules): look again.
        if _state(pid) in {"Z", "X", ""}:
            return ""
        time.sleep(0.005)
    return ""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def is_ours(pid: int, marker: str) -> bool:
    """Alive and still the program we started (a PID can be reused after a reboot)."""
    return marker in command_line(pid)


def stop(pid: int, marker: str, timeout_seconds: float = 10.0) -> bool:
    """SIGTERM, then SIGKILL after the timeout. Returns False if the PID was not ours to stop."""
    if not is_ours(pid, marker):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_ours(pid, marker):  # a zombie's command line is empty too
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return True


def _reap(pid: int) -> None:
    """Collects the exit of our own child, if it is one."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
