"""Timer triggers, run as the Functions host's timer listener runs them.

With `use_monitor` the schedule status (`Last`, `Next`, `LastUpdated`) is kept in a file per
function under the host's data dir, as Azure keeps it in blob storage: an occurrence missed while
the host was down runs once at start with `past_due` set, however many were missed. Otherwise
`run_on_startup` runs the function once at start. Invocations of one timer never overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from azure.functions import meta

from local.host.functions import FunctionInfo
from local.host.invoke import Invoker
from local.host.schedule import Schedule
from local.private import private_dir

log = logging.getLogger("host.timers")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class ScheduleStatus:
    last: datetime | None
    next: datetime
    last_updated: datetime | None

    def as_json(self) -> dict[str, str | None]:
        return {"Last": iso(self.last) if self.last else None, "Next": iso(self.next),
                "LastUpdated": iso(self.last_updated) if self.last_updated else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScheduleStatus:
        moment = lambda key: datetime.fromisoformat(data[key]) if data.get(key) else None  # noqa: E731
        return cls(last=moment("Last"), next=moment("Next"), last_updated=moment("LastUpdated"))  # type: ignore[arg-type]


class StatusFiles:
    """Schedule status per function, one small JSON file each, replaced atomically."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, function: str) -> Path:
        return self._folder / f"{function}.json"

    def read(self, function: str) -> ScheduleStatus | None:
        try:
            return ScheduleStatus.from_json(json.loads(self._path(function).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as error:  # a torn or edited file: start afresh
            log.warning("schedule status of %s unreadable (%s): starting afresh", function, error)
            return None

    def write(self, function: str, status: ScheduleStatus) -> None:
        private_dir(self._folder)
        temporary = self._path(function).with_suffix(".tmp")
        temporary.write_text(json.dumps(status.as_json()), encoding="utf-8")
        os.replace(temporary, self._path(function))


def past_due_on_start(stored: ScheduleStatus | None, schedule: Schedule, now: datetime) -> tuple[ScheduleStatus, bool]:
    """The status to go on from and whether an occurrence was missed (ScheduleMonitor.CheckPastDue).

    When the schedule changed since the status was written, `Next` is recomputed from the last
    time it was computed, so a change never hides an occurrence that fell while the host was down.
    """
    if stored is None:
        return ScheduleStatus(last=None, next=schedule.next_after(now), last_updated=now), False
    reference = stored.last or stored.last_updated
    status = stored
    if reference is not None and schedule.next_after(reference) != stored.next:
        status = ScheduleStatus(last=stored.last, next=schedule.next_after(reference), last_updated=now)
    return status, now > status.next


class TimerTriggers:
    def __init__(self, functions: list[tuple[FunctionInfo, Schedule]], invoker: Invoker, status_folder: Path,
                 clock: Clock = utc_now) -> None:
        self._functions = functions
        self._invoker = invoker
        self._statuses = StatusFiles(status_folder)
        self._clock = clock

    async def run(self) -> None:
        await asyncio.gather(*(self._run(info, schedule) for info, schedule in self._functions))

    async def _run(self, info: FunctionInfo, schedule: Schedule) -> None:
        now = self._clock()
        monitor = info.trigger.get("useMonitor")
        monitored = schedule.monitored_by_default(now) if monitor is None else bool(monitor)
        past_due = False
        if monitored:
            status, past_due = past_due_on_start(self._statuses.read(info.name), schedule, now)
            self._statuses.write(info.name, status)
        else:
            status = ScheduleStatus(last=None, next=schedule.next_after(now), last_updated=None)
        log.info("timer %s: schedule %r, monitored=%s, next %s", info.name, schedule.expression, monitored,
                 iso(status.next))
        if past_due or info.trigger.get("runOnStartup"):
            status = await self._fire(info, schedule, status, monitored, now, on_time=False, past_due=past_due)
        while True:
            await asyncio.sleep(max((status.next - self._clock()).total_seconds(), 0.0))
            status = await self._fire(info, schedule, status, monitored, self._clock(), on_time=True)

    async def _fire(self, info: FunctionInfo, schedule: Schedule, status: ScheduleStatus, monitored: bool,
                    invoked_at: datetime, *, on_time: bool, past_due: bool = False) -> ScheduleStatus:
        timer_info = {"Schedule": {"AdjustForDST": True}, "IsPastDue": past_due,
                      "ScheduleStatus": status.as_json() if monitored else None}
        request = meta.get_binding_registry().get("timerTrigger").decode(
            meta.Datum(json.dumps(timer_info), "json"), trigger_metadata={})
        with contextlib.suppress(Exception):  # logged by the invoker; a failure never stops the schedule
            await self._invoker.call(info, request)
        # Woken a hair early: count the run as the occurrence it was for, or it would fire twice.
        moment = max(invoked_at, status.next) if on_time else invoked_at
        status = ScheduleStatus(last=moment, next=schedule.next_after(moment), last_updated=moment)
        if monitored:
            self._statuses.write(info.name, status)
        return status
