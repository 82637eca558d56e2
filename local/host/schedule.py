"""NCRONTAB schedules as Azure Functions reads them: six fields, seconds first, in UTC.

`{second} {minute} {hour} {day} {month} {day-of-week}`, each a number, `*`, a range `a-b`, a
list `a,b`, a step `*/n` or `a-b/n`; months and days of the week also by name (`Jan`, `Mon`).
Unlike Vixie cron, when both day fields are restricted a day must match both (NCrontab's rule).
croniter does the arithmetic; this module holds Azure's rules around it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import CroniterError, croniter

SETTING = re.compile(r"^%(?P<name>[^%]+)%$")
TIMESPAN = re.compile(r"^\d+(\.\d+)?:\d+(:\d+)?$")
FIELDS = ("second", "minute", "hour", "day", "month", "day-of-week")


class ScheduleError(ValueError):
    """A schedule this host cannot run, with the reason."""


@dataclass(frozen=True)
class Schedule:
    expression: str

    @classmethod
    def parse(cls, schedule: str) -> Schedule:
        """A timer trigger's `schedule`: an NCRONTAB expression or `%AppSetting%` holding one."""
        expression = schedule.strip()
        setting = SETTING.match(expression)
        if setting:
            expression = os.environ.get(setting["name"], "").strip()
            if not expression:
                raise ScheduleError(f"schedule {schedule!r} names app setting {setting['name']}, which is not set")
        if TIMESPAN.match(expression):
            raise ScheduleError(f"schedule {expression!r} is a TimeSpan, which Azure accepts only on App Service "
                                "plans; use an NCRONTAB expression")
        fields = expression.split()
        if len(fields) != len(FIELDS):
            raise ScheduleError(f"schedule {expression!r} has {len(fields)} fields; NCRONTAB has six: "
                                f"{' '.join(FIELDS)}")
        if "7" in {bound for item in fields[-1].split(",") for bound in item.split("/")[0].split("-")}:
            raise ScheduleError(f"schedule {expression!r}: day-of-week runs 0 (Sunday) to 6")
        try:
            croniter(expression, datetime(2000, 1, 1), second_at_beginning=True, day_or=False).get_next(datetime)
        except (CroniterError, ValueError) as error:
            raise ScheduleError(f"schedule {expression!r} is not a valid NCRONTAB expression: {error}") from None
        return cls(expression)

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after `moment` (an aware datetime)."""
        return croniter(self.expression, moment, second_at_beginning=True, day_or=False).get_next(datetime)

    def monitored_by_default(self, now: datetime) -> bool:
        """What Azure assumes when `use_monitor` is not given: true unless it fires more than once a minute."""
        first = self.next_after(now)
        return self.next_after(first) - first >= timedelta(minutes=1)
