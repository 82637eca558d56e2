"""`make up` / `make down`: start what is missing, reuse what runs, stop only what was started."""

from __future__ import annotations

from pathlib import Path

import httpx

from local import processes
from local.stack import Stack
from local.up import HOST_MARKER, down, host_state, up

ROOT = Path(__file__).resolve().parent.parent


def test_up_twice_starts_once_and_down_stops_only_what_it_recorded(tmp_path: Path) -> None:
    running = up(ROOT, state_dir=tmp_path, port=0)
    try:
        assert running.started_stack and running.started_host
        assert httpx.get(f"{running.base_url}/admin/host/ping").status_code == 200
        again = up(ROOT, state_dir=tmp_path, port=0)
        assert (again.base_url, again.started_stack, again.started_host) == (running.base_url, False, False)
        state = host_state(tmp_path / "host")
        assert state is not None
    finally:
        down(ROOT, state_dir=tmp_path)
    assert not processes.is_ours(state["pid"], HOST_MARKER)
    assert Stack.running(tmp_path / "stack") is None
    assert host_state(tmp_path / "host") is None
