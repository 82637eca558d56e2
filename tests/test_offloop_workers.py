"""The worker processes of shared.offloop leave with their owner, however it ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Starts the pool, prints its workers' PIDs and dies without shutting it down, as a killed host does.
CRASHING_OWNER = """
import asyncio, os, sys
sys.path.insert(0, sys.argv[1])
from shared import offloop
asyncio.run(offloop.in_process(int))
print(" ".join(str(pid) for pid in offloop._pool._processes), flush=True)
os._exit(1)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_workers_leave_when_their_owner_dies_without_shutting_them_down() -> None:
    owner = subprocess.Popen([sys.executable, "-c", CRASHING_OWNER, str(ROOT)], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    workers = [int(pid) for pid in owner.stdout.readline().split()]  # the workers hold the pipe: no read to EOF
    assert owner.wait(60) == 1 and workers
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), f"workers {workers} outlived their owner"
