"""Timer triggers for the host's tests. Its app object is not called `app`: the host finds it anyway.

Each run appends what its `TimerRequest` said to `<PROBE_OUTPUT_DIR>/<function>.log`.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import azure.functions as func

timers = func.FunctionApp()


def record(function: str, timer: func.TimerRequest) -> None:
    entry = {"at": datetime.now(UTC).isoformat(), "past_due": timer.past_due, "status": timer.schedule_status}
    with (Path(os.environ["PROBE_OUTPUT_DIR"]) / f"{function}.log").open("a") as log:
        log.write(json.dumps(entry) + "\n")


@timers.timer_trigger(schedule="* * * * * *", arg_name="timer", run_on_startup=True, use_monitor=False)
def every_second(timer: func.TimerRequest) -> None:
    record("every_second", timer)
    time.sleep(1.5)  # longer than the interval: runs of one timer must never overlap


@timers.timer_trigger(schedule="0 0 0 1 1 *", arg_name="timer", run_on_startup=True)
def yearly_on_startup(timer: func.TimerRequest) -> None:
    record("yearly_on_startup", timer)


@timers.timer_trigger(schedule="*/3 * * * * *", arg_name="timer", use_monitor=True)
async def monitored(timer: func.TimerRequest) -> None:
    record("monitored", timer)


@timers.timer_trigger(schedule="%FAILING_SCHEDULE%", arg_name="timer", use_monitor=False)
def failing(timer: func.TimerRequest) -> None:
    raise RuntimeError("a timer that always fails")
