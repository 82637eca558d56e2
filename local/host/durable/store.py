"""Orchestration state in SQLite. Every change that must not be half-applied is one transaction.

Three queues sit beside the instances: `history` (what the orchestrator has seen), `inbox`
(events waiting for its next episode; timers are inbox rows visible from their fire time) and
`work` (activities to run). An episode moves inbox rows into history and adds work in one
transaction; an activity's completion deletes its work row and adds the inbox row in another.
So after a crash nothing that completed runs again, and nothing scheduled is lost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from local.host.durable.history import EventType, iso, utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, execution TEXT NOT NULL,
    input TEXT, output TEXT, custom_status TEXT, created TEXT NOT NULL, updated TEXT NOT NULL,
    parent_id TEXT, parent_execution TEXT, parent_task INTEGER
);
CREATE TABLE IF NOT EXISTS history (
    instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (instance_id, seq)
);
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution TEXT NOT NULL,
    event TEXT NOT NULL, visible_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_visible ON inbox (visible_at);
CREATE TABLE IF NOT EXISTS work (
    id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution TEXT NOT NULL,
    task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT
);
CREATE TABLE IF NOT EXISTS retries (
    instance_id TEXT NOT NULL, execution TEXT NOT NULL, waiting_on INTEGER NOT NULL, on_timer INTEGER NOT NULL,
    first_id INTEGER NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL, child_id TEXT, input TEXT,
    options TEXT NOT NULL, attempt INTEGER NOT NULL, first_at TEXT NOT NULL,
    PRIMARY KEY (instance_id, execution, waiting_on)
);
CREATE TABLE IF NOT EXISTS blob_receipts (
    function TEXT NOT NULL, blob TEXT NOT NULL, etag TEXT NOT NULL,
    PRIMARY KEY (function, blob, etag)
);
"""

TERMINAL = {"Completed", "Failed", "Terminated"}
RUNTIME_STATUSES = {"Pending", "Running", "Suspended", *TERMINAL}


@dataclass(frozen=True)
class InstanceFilter:
    """What an instance query or a purge selects (ISO times compare as text: one fixed format)."""

    created_from: str | None = None
    created_to: str | None = None
    statuses: frozenset[str] = frozenset()
    prefix: str = ""

    def where(self) -> tuple[str, list[Any]]:
        clauses, values = ["id >= ? AND id < ?"], [self.prefix, self.prefix + "\U0010ffff"]
        if self.created_from:
            clauses.append("created >= ?")
            values.append(self.created_from)
        if self.created_to:
            clauses.append("created <= ?")
            values.append(self.created_to)
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' * len(self.statuses))})")
            values += sorted(self.statuses)
        return " AND ".join(clauses), values


@dataclass(frozen=True)
class Instance:
    id: str
    name: str
    status: str
    execution: str
    input: str | None
    output: str | None
    custom_status: str | None
    created: str
    updated: str
    parent_id: str | None
    parent_execution: str | None
    parent_task: int | None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


@dataclass(frozen=True)
class Work:
    id: int
    instance_id: str
    execution: str
    task_id: int
    name: str
    input: str | None


@dataclass(frozen=True)
class Retry:
    """A task scheduled with retry options, between attempts.

    `waiting_on` is the sequence id of what it waits for now: the current attempt, or (`on_timer`)
    the timer before the next one. `first_id` is the id of its first attempt.
    """

    instance_id: str
    execution: str
    waiting_on: int
    on_timer: bool
    first_id: int
    kind: int
    name: str
    child_id: str | None
    input: str | None
    options: str
    attempt: int
    first_at: str


@dataclass(frozen=True)
class InboxRow:
    id: int
    event: dict[str, Any]


class DurableStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Only the host's event loop thread touches the connection.
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- reads ---------------------------------------------------------------------------------

    def instance(self, instance_id: str) -> Instance | None:
        row = self._db.execute("SELECT * FROM instances WHERE id = ?", (instance_id,)).fetchone()
        return Instance(**dict(row)) if row else None

    def instances(self, wanted: InstanceFilter, limit: int, after: tuple[str, str] | None = None) -> list[Instance]:
        """Up to `limit` matching instances in (created, id) order, from just past `after`."""
        where, values = wanted.where()
        if after is not None:
            where += " AND (created, id) > (?, ?)"
            values += list(after)
        rows = self._db.execute(f"SELECT * FROM instances WHERE {where} ORDER BY created, id LIMIT ?",
                                [*values, limit])
        return [Instance(**dict(r)) for r in rows]

    def history(self, instance_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT event FROM history WHERE instance_id = ? ORDER BY seq", (instance_id,)
        )
        return [json.loads(r["event"]) for r in rows]

    def visible_inbox(self, instance: Instance) -> list[InboxRow]:
        rows = self._db.execute(
            "SELECT id, event FROM inbox WHERE instance_id = ? AND execution = ? AND visible_at <= ?"
            " ORDER BY id",
            (instance.id, instance.execution, iso(utc_now())),
        )
        return [InboxRow(r["id"], json.loads(r["event"])) for r in rows]

    def due_instances(self) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT instance_id FROM inbox WHERE visible_at <= ?", (iso(utc_now()),)
        )
        return [r["instance_id"] for r in rows]

    def next_fire_time(self) -> str | None:
        row = self._db.execute(
            "SELECT MIN(visible_at) AS at FROM inbox WHERE visible_at > ?", (iso(utc_now()),)
        ).fetchone()
        return row["at"]

    def all_work(self) -> list[Work]:
        return [Work(**dict(r)) for r in self._db.execute("SELECT * FROM work ORDER BY id")]

    def retries(self, instance: Instance) -> dict[int, Retry]:
        rows = self._db.execute("SELECT * FROM retries WHERE instance_id = ? AND execution = ?",
                                (instance.id, instance.execution))
        return {r["waiting_on"]: Retry(**{**dict(r), "on_timer": bool(r["on_timer"])}) for r in rows}

    def has_receipt(self, function: str, blob: str, etag: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM blob_receipts WHERE function = ? AND blob = ? AND etag = ?",
            (function, blob, etag),
        ).fetchone()
        return row is not None

    # -- writes (call inside `transaction()`) -------------------------------------------------

    @staticmethod
    def put_instance(db: sqlite3.Connection, instance: Instance) -> None:
        db.execute(
            "INSERT OR REPLACE INTO instances VALUES"
            " (:id, :name, :status, :execution, :input, :output, :custom_status, :created, :updated,"
            " :parent_id, :parent_execution, :parent_task)",
            instance.__dict__,
        )

    @staticmethod
    def current_status(db: sqlite3.Connection, instance: Instance) -> str | None:
        """The status of `instance` if it is still the live, unfinished execution (read inside the
        writing transaction), else None."""
        row = db.execute("SELECT execution, status FROM instances WHERE id = ?", (instance.id,)).fetchone()
        if row is None or row["execution"] != instance.execution or row["status"] in TERMINAL:
            return None
        return str(row["status"])

    @staticmethod
    def carry_external_events(db: sqlite3.Connection, instance: Instance, execution: str) -> None:
        """On continue-as-new: raised events not yet consumed go to the new execution; the rest goes."""
        old = (instance.id, instance.execution)
        db.execute("UPDATE inbox SET execution = ? WHERE instance_id = ? AND execution = ?"
                   " AND json_extract(event, '$.EventType') = ?", (execution, *old, EventType.EventRaised))
        db.execute("DELETE FROM inbox WHERE instance_id = ? AND execution = ?", old)

    @staticmethod
    def clear_execution(db: sqlite3.Connection, instance_id: str) -> None:
        """Forgets an execution's history and pending work (a restart or continue-as-new)."""
        db.execute("DELETE FROM history WHERE instance_id = ?", (instance_id,))
        db.execute("DELETE FROM work WHERE instance_id = ?", (instance_id,))
        db.execute("DELETE FROM retries WHERE instance_id = ?", (instance_id,))

    @staticmethod
    def delete_instance(db: sqlite3.Connection, instance_id: str) -> None:
        DurableStore.clear_execution(db, instance_id)
        db.execute("DELETE FROM inbox WHERE instance_id = ?", (instance_id,))
        db.execute("DELETE FROM instances WHERE id = ?", (instance_id,))

    @staticmethod
    def rewrite_history(db: sqlite3.Connection, instance_id: str, events: list[dict[str, Any]]) -> None:
        db.execute("DELETE FROM history WHERE instance_id = ?", (instance_id,))
        DurableStore.append_history(db, instance_id, 0, events)

    @staticmethod
    def append_history(db: sqlite3.Connection, instance_id: str, start: int, events: list[dict[str, Any]]) -> None:
        db.executemany(
            "INSERT INTO history VALUES (?, ?, ?)",
            [(instance_id, start + i, json.dumps({**e, "IsPlayed": True})) for i, e in enumerate(events)],
        )

    @staticmethod
    def post(db: sqlite3.Connection, instance_id: str, execution: str, event: dict[str, Any],
             visible_at: str | None = None) -> None:
        db.execute(
            "INSERT INTO inbox (instance_id, execution, event, visible_at) VALUES (?, ?, ?, ?)",
            (instance_id, execution, json.dumps(event), visible_at or iso(utc_now())),
        )

    @staticmethod
    def consume(db: sqlite3.Connection, rows: list[InboxRow]) -> None:
        db.executemany("DELETE FROM inbox WHERE id = ?", [(r.id,) for r in rows])

    @staticmethod
    def add_work(db: sqlite3.Connection, instance: Instance, task_id: int, name: str, input: str | None) -> int:
        cursor = db.execute(
            "INSERT INTO work (instance_id, execution, task_id, name, input) VALUES (?, ?, ?, ?, ?)",
            (instance.id, instance.execution, task_id, name, input),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def finish_work(db: sqlite3.Connection, work_id: int) -> bool:
        """False when the work was already gone (its instance was terminated or restarted)."""
        return db.execute("DELETE FROM work WHERE id = ?", (work_id,)).rowcount == 1

    @staticmethod
    def put_retry(db: sqlite3.Connection, retry: Retry, replacing: int | None = None) -> None:
        if replacing is not None:
            DurableStore.drop_retry(db, replace(retry, waiting_on=replacing))
        db.execute("INSERT INTO retries VALUES (:instance_id, :execution, :waiting_on, :on_timer, :first_id, :kind,"
                   " :name, :child_id, :input, :options, :attempt, :first_at)", retry.__dict__)

    @staticmethod
    def drop_retry(db: sqlite3.Connection, retry: Retry) -> None:
        db.execute("DELETE FROM retries WHERE instance_id = ? AND execution = ? AND waiting_on = ?",
                   (retry.instance_id, retry.execution, retry.waiting_on))

    @staticmethod
    def add_receipt(db: sqlite3.Connection, function: str, blob: str, etag: str) -> None:
        db.execute("INSERT OR IGNORE INTO blob_receipts VALUES (?, ?, ?)", (function, blob, etag))
