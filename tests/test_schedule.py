"""NCRONTAB schedules and the schedule monitor's past-due rule, without a host."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from local.host.schedule import Schedule, ScheduleError
from local.host.timers import ScheduleStatus, StatusFiles, past_due_on_start


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def occurrences(expression: str, start: str, count: int) -> list[str]:
    schedule, moment, found = Schedule.parse(expression), at(start), []
    for _ in range(count):
        moment = schedule.next_after(moment)
        found.append(moment.strftime("%a %Y-%m-%d %H:%M:%S"))
    return found


def test_six_fields_seconds_first() -> None:
    assert occurrences("*/15 * * * * *", "2026-12-01 10:00:07", 3) == [
        "Tue 2026-12-01 10:00:15", "Tue 2026-12-01 10:00:30", "Tue 2026-12-01 10:00:45"]
    assert occurrences("0 */5 * * * *", "2026-12-01 10:00:00", 2) == ["Tue 2026-12-01 10:05:00",
                                                                      "Tue 2026-12-01 10:10:00"]
    # The Azure documentation's examples: 9:30 AM every weekday; every hour 9-17 on weekdays.
    assert occurrences("0 30 9 * * 1-5", "2026-12-04 10:00:00", 2) == ["Mon 2026-12-07 09:30:00",
                                                                       "Tue 2026-12-08 09:30:00"]
    assert occurrences("0 0 9-17 * * Mon-Fri", "2026-12-04 17:30:00", 1) == ["Mon 2026-12-07 09:00:00"]
    assert occurrences("0 0 0 1 Jan *", "2026-12-01 00:00:00", 1) == ["Fri 2027-01-01 00:00:00"]


def test_both_day_fields_must_match_as_in_ncrontab() -> None:
    # Friday the 13th, not every Friday and every 13th (Vixie cron's reading).
    assert occurrences("0 0 0 13 * 5", "2026-01-01 00:00:00", 2) == ["Fri 2026-02-13 00:00:00",
                                                                     "Fri 2026-03-13 00:00:00"]


def test_the_next_occurrence_is_strictly_later() -> None:
    assert occurrences("*/5 * * * * *", "2026-12-01 10:00:05", 1) == ["Tue 2026-12-01 10:00:10"]


@pytest.mark.parametrize(("expression", "says"), [
    ("*/5 * * * *", "has 5 fields"),
    ("0 0 0 * * * *", "has 7 fields"),
    ("61 * * * * *", "not a valid NCRONTAB"),
    ("0 0 0 * * 7", r"day-of-week runs 0 \(Sunday\) to 6"),
    ("00:05:00", "TimeSpan"),
    ("%NOT_SET_ANYWHERE%", "names app setting NOT_SET_ANYWHERE"),
])
def test_schedules_azure_would_refuse_are_refused_with_the_reason(expression: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says):
        Schedule.parse(expression)


def test_an_app_setting_can_hold_the_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWEEP_SCHEDULE", "0 */10 * * * *")
    assert Schedule.parse("%SWEEP_SCHEDULE%").expression == "0 */10 * * * *"


def test_monitoring_defaults_to_schedules_of_a_minute_or_more() -> None:
    now = at("2026-12-01 10:00:00")
    assert Schedule.parse("0 * * * * *").monitored_by_default(now)
    assert not Schedule.parse("*/30 * * * * *").monitored_by_default(now)


def test_past_due_when_the_recorded_next_occurrence_has_passed() -> None:
    every_minute = Schedule.parse("0 * * * * *")
    fresh, due = past_due_on_start(None, every_minute, at("2026-12-01 10:00:30"))
    assert (fresh.next, due) == (at("2026-12-01 10:01:00"), False)
    stored = ScheduleStatus(last=at("2026-12-01 10:00:00"), next=at("2026-12-01 10:01:00"),
                            last_updated=at("2026-12-01 10:00:00"))
    assert past_due_on_start(stored, every_minute, at("2026-12-01 10:00:59"))[1] is False
    status, due = past_due_on_start(stored, every_minute, at("2026-12-01 10:07:10"))  # six missed: one run
    assert (status.next, due) == (at("2026-12-01 10:01:00"), True)


def test_a_changed_schedule_is_recomputed_from_the_last_run() -> None:
    stored = ScheduleStatus(last=at("2026-12-01 10:00:00"), next=at("2026-12-01 11:00:00"),
                            last_updated=at("2026-12-01 10:00:00"))  # written by an hourly schedule
    status, due = past_due_on_start(stored, Schedule.parse("0 */5 * * * *"), at("2026-12-01 10:20:00"))
    assert (status.next, due) == (at("2026-12-01 10:05:00"), True)


def test_status_files_round_trip_and_survive_a_torn_file(tmp_path: Path) -> None:
    files = StatusFiles(tmp_path / "timers")
    status = ScheduleStatus(last=None, next=at("2026-12-01 10:01:00"), last_updated=at("2026-12-01 10:00:00"))
    files.write("sweep", status)
    assert files.read("sweep") == status
    (tmp_path / "timers" / "sweep.json").write_text('{"Next": ')
    assert files.read("sweep") is None
    assert files.read("never") is None
    assert (tmp_path / "timers").stat().st_mode & 0o777 == 0o700
