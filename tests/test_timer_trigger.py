"""Timer triggers through a real host: NCRONTAB schedules, run_on_startup, and use_monitor across a restart."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from tests.hosting import ROOT, HostProcess, wait_for

TIMER_APP = ROOT / "tests/apps/timer_app"


class TimerHost(HostProcess):
    def __init__(self, workdir: Path) -> None:
        self.output = workdir / "output"
        self.output.mkdir(parents=True, exist_ok=True)
        # No --app: the host finds the app object (`timers`) in the app root's function_app.py.
        super().__init__(None, workdir, app_root=TIMER_APP,
                         env={"PROBE_OUTPUT_DIR": str(self.output), "FAILING_SCHEDULE": "*/2 * * * * *"})

    def runs(self, function: str) -> list[dict]:
        path = self.output / f"{function}.log"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def status_file(self, function: str) -> Path:
        return self.workdir / "host" / "timers" / f"{function}.json"


@pytest.fixture(scope="module")
def timer_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TimerHost]:
    host = TimerHost(tmp_path_factory.mktemp("timers"))
    host.start()
    yield host
    host.stop()


def test_run_on_startup_runs_once_at_start(timer_host: TimerHost) -> None:
    runs = wait_for(lambda: timer_host.runs("yearly_on_startup"))
    time.sleep(1.0)
    assert len(timer_host.runs("yearly_on_startup")) == 1
    assert runs[0]["past_due"] is False


def test_a_one_second_schedule_fires_every_second_without_overlapping_runs(timer_host: TimerHost) -> None:
    runs = wait_for(lambda: len(r := timer_host.runs("every_second")) >= 3 and r, timeout_seconds=20)
    starts = [datetime.fromisoformat(r["at"]) for r in runs]
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(starts)]
    assert all(1.4 <= gap <= 3.0 for gap in gaps), gaps  # each run takes 1.5 s; the next waits for it
    assert all(r["status"] == {} and r["past_due"] is False for r in runs)  # use_monitor=False: no status
    lines = [line for line in timer_host.log_tail(50000).splitlines() if "function=every_second" in line]
    assert lines and all("trigger=timerTrigger" in line and "duration_ms=" in line and "outcome=ok" in line
                         for line in lines)


def test_a_failing_timer_is_logged_and_keeps_its_schedule(timer_host: TimerHost) -> None:
    failures = lambda: [line for line in timer_host.log_tail(100000).splitlines()  # noqa: E731
                        if "function=failing trigger=timerTrigger" in line and "outcome=error RuntimeError" in line]
    wait_for(lambda: len(failures()) >= 2, timeout_seconds=15)


def test_status_is_kept_only_for_monitored_timers(timer_host: TimerHost) -> None:
    wait_for(lambda: timer_host.runs("monitored"))
    assert timer_host.status_file("monitored").is_file()
    assert timer_host.status_file("yearly_on_startup").is_file()  # monitored by default: once a year
    assert not timer_host.status_file("every_second").exists()  # more often than once a minute: not by default


def test_a_run_missed_while_the_host_was_down_runs_once_at_start(tmp_path: Path) -> None:
    host = TimerHost(tmp_path)
    host.start()
    try:
        first = wait_for(lambda: host.runs("monitored"), timeout_seconds=10)[0]
        assert first["past_due"] is False
    finally:
        host.stop()
    stored = json.loads(host.status_file("monitored").read_text())
    missed = datetime.fromisoformat(stored["Next"])
    # Down past two occurrences of the 3-second schedule: one catch-up run, not two.
    time.sleep(max((missed - datetime.now(missed.tzinfo)).total_seconds(), 0) + 3.5)
    host.start()
    try:
        runs = wait_for(lambda: len(r := host.runs("monitored")) >= 3 and r, timeout_seconds=15)
    finally:
        host.stop()
    catch_up, on_schedule = runs[1], runs[2]
    assert catch_up["past_due"] is True
    assert catch_up["status"]["Next"] == stored["Next"]  # the TimerRequest names the occurrence that was missed
    assert on_schedule["past_due"] is False
    assert [r["past_due"] for r in runs].count(True) == 1


def test_the_official_timer_sample_runs(tmp_path: Path) -> None:
    host = HostProcess(None, tmp_path, app_root=ROOT / "tests/apps/timer_sample")
    host.start()
    try:
        wait_for(lambda: host.log_tail(20000).count("Python timer trigger function executed.") >= 2,
                 timeout_seconds=15)
        assert "invocation function=timer_trigger trigger=timerTrigger" in host.log_tail(20000)
    finally:
        host.stop()
