"""Runs orchestrations: episodes through the SDK's replay, activities on workers, durable timers.

An episode appends an OrchestratorStarted event and the inbox's visible events to the history,
calls the orchestrator over the whole history, and turns the actions it returns beyond those
already scheduled into history events, activity work, timers and sub-orchestrations.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from azure.functions import meta
from azure.functions._durable_functions import df_dumps

from local.host.durable.history import (
    COMPLETIONS,
    RETRY_MARK,
    ActionType,
    EventType,
    action_count,
    event,
    iso,
    numbered_actions,
    parse_iso,
    readable,
    scheduled_count,
    utc_now,
)
from local.host.durable.retry import RetryPolicy
from local.host.durable.store import TERMINAL, DurableStore, InboxRow, Instance, InstanceFilter, Retry, Work
from local.host.functions import FunctionIndex
from local.host.invoke import Invoker

log = logging.getLogger("host.durable")
CONTROLS = {EventType.ExecutionSuspended, EventType.ExecutionResumed}
ENTITY_ACTIONS = {ActionType.CallEntity, ActionType.SignalEntity}
OUT_OF_PROC_MARKER = "\n\n$OutOfProcData$:"


class DurableError(Exception):
    """A request the engine refuses; `status` is the HTTP status the API answers with.

    `bare`: the extension answers with the message alone as a JSON string (the SDK's client then
    shows it as it is), not with an error object.
    """

    def __init__(self, status: int, message: str, *, bare: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.bare = bare


class Engine:
    def __init__(self, store: DurableStore, index: FunctionIndex, invoker: Invoker, workers: int) -> None:
        self._store = store
        self._index = index
        self._invoker = invoker
        self._workers = workers
        self._due: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._work: asyncio.Queue[Work] = asyncio.Queue()
        self._timers_changed = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Resumes what a previous run left: due inbox events, unfinished activities, timers."""
        for work in self._store.all_work():
            self._work.put_nowait(work)
        for instance_id in self._store.due_instances():
            self._wake(instance_id)
        loops = [self._dispatch(), self._fire_timers(), *(self._run_work() for _ in range(self._workers))]
        self._tasks = [asyncio.create_task(loop) for loop in loops]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- the client's operations --------------------------------------------------------------

    def start_new(self, name: str, instance_id: str | None, input_json: str | None) -> str:
        if name not in self._index.orchestrators:
            raise DurableError(400, f"The function '{name}' doesn't exist or is not an orchestrator function.")
        instance_id = instance_id or uuid.uuid4().hex
        existing = self._store.instance(instance_id)
        if existing and not existing.is_terminal:
            # As the extension does by default: a running instance is never started twice.
            raise DurableError(409, f"An orchestration instance with ID '{instance_id}' is already {existing.status}.")
        with self._store.transaction() as db:
            self._create(db, instance_id, name, input_json, parent=None)
        self._wake(instance_id)
        return instance_id

    def require_running(self, instance_id: str) -> Instance:
        """The instance, if it still takes events: 404 when unknown, 410 once it ended."""
        instance = self._require(instance_id)
        if instance.is_terminal:
            raise DurableError(410, f"Instance {instance_id} is {instance.status}: it takes no more events.")
        return instance

    def raise_event(self, instance_id: str, name: str, data_json: str | None) -> None:
        instance = self.require_running(instance_id)
        with self._store.transaction() as db:
            raised = event(EventType.EventRaised, Name=name, Input=data_json)
            self._store.post(db, instance.id, instance.execution, raised)
        self._wake(instance_id)

    def terminate(self, instance_id: str, reason: str) -> None:
        instance = self._require(instance_id)
        if instance.is_terminal:
            raise DurableError(410, f"Instance {instance_id} is already {instance.status}.")
        with self._store.transaction() as db:
            self._store.clear_execution(db, instance.id)
            self._finish(db, instance, "Terminated", reason)

    def purge(self, instance_id: str) -> int:
        instance = self._require(instance_id)
        if not instance.is_terminal:
            raise DurableError(412, "Only orchestrations in a terminal state can be purged, but the orchestration"
                                    f" with instance ID {instance_id} has status {instance.status}", bare=True)
        with self._store.transaction() as db:
            self._store.delete_instance(db, instance_id)
        return 1

    def purge_by(self, wanted: InstanceFilter) -> int:
        """Deletes the finished instances that match; running ones are never purged."""
        finished = replace(wanted, statuses=frozenset(wanted.statuses & TERMINAL if wanted.statuses else TERMINAL))
        doomed = self._store.instances(finished, limit=-1)  # SQLite: no limit
        with self._store.transaction() as db:
            for instance in doomed:
                self._store.delete_instance(db, instance.id)
        return len(doomed)

    def suspend(self, instance_id: str, reason: str) -> None:
        self._post_control(instance_id, event(EventType.ExecutionSuspended, Reason=reason))

    def resume(self, instance_id: str, reason: str) -> None:
        self._post_control(instance_id, event(EventType.ExecutionResumed, Reason=reason))

    def _post_control(self, instance_id: str, control: dict[str, Any]) -> None:
        """Suspend and resume go through the inbox, in order with the events around them."""
        instance = self.require_running(instance_id)
        with self._store.transaction() as db:
            self._store.post(db, instance.id, instance.execution, control)
        self._wake(instance_id)

    def rewind(self, instance_id: str, reason: str) -> None:
        """Runs a failed instance's failed activities again, keeping everything that succeeded."""
        instance = self._require(instance_id)
        if instance.status != "Failed":
            raise DurableError(412, f"This orchestration has status {instance.status}, but only orchestrations"
                                    ' in the "Failed" state can be rewound.', bare=True)
        history = self._store.history(instance.id)
        if instance.parent_id or any(RETRY_MARK in e or e["EventType"] == EventType.SubOrchestrationInstanceFailed
                                     for e in history):
            raise DurableError(501, "The local host rewinds only top-level orchestrations whose failure came from"
                                    " activities called without retries.")
        failed = {e["TaskScheduledId"] for e in history if e["EventType"] == EventType.TaskFailed}
        kept = [e for e in history if e["EventType"] != EventType.TaskFailed]
        running = replace(instance, status="Running", output=None, updated=iso(utc_now()))
        with self._store.transaction() as db:
            self._store.rewrite_history(db, instance.id, kept)
            for scheduled in (e for e in kept if e["EventType"] == EventType.TaskScheduled):
                if scheduled["EventId"] in failed:
                    self._start_activity(db, running, scheduled["EventId"], scheduled["Name"], scheduled.get("Input"))
            self._store.post(db, instance.id, instance.execution, event(EventType.GenericEvent, Data=reason))
            self._store.put_instance(db, running)
        self._wake(instance_id)

    def restart(self, instance_id: str, new_instance_id: bool) -> str:
        """Starts the instance's orchestration again with its input, as a new or the same instance."""
        instance = self._store.instance(instance_id)
        if instance is None:
            raise DurableError(400, f"InstanceId {instance_id!r} does not match a valid orchestration instance.")
        return self.start_new(instance.name, None if new_instance_id else instance.id, instance.input)

    def status(self, instance_id: str, show_history: bool = False) -> dict[str, Any]:
        instance = self._require(instance_id)
        body: dict[str, Any] = {
            "name": instance.name,
            "instanceId": instance.id,
            "runtimeStatus": instance.status,
            "input": _loads(instance.input),
            "customStatus": _loads(instance.custom_status),
            "output": _loads(instance.output),
            "createdTime": instance.created,
            "lastUpdatedTime": instance.updated,
        }
        if show_history:
            body["historyEvents"] = [readable(e) for e in self._store.history(instance.id)]
        return body

    def query(self, wanted: InstanceFilter, top: int, token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """One page of matching instances and the continuation token of the next (None at the end)."""
        try:
            created, instance_id = json.loads(base64.urlsafe_b64decode(token)) if token else (None, None)
        except ValueError as error:
            raise DurableError(400, "the continuation token is not one this host gave out") from error
        found = self._store.instances(wanted, top + 1, (created, instance_id) if token else None)
        page = found[:top]
        last = page[-1] if len(found) > top else None
        following = base64.urlsafe_b64encode(json.dumps([last.created, last.id]).encode()).decode() if last else None
        return [self.status(i.id) for i in page], following

    def _require(self, instance_id: str) -> Instance:
        instance = self._store.instance(instance_id)
        if instance is None:
            raise DurableError(404, f"No instance with ID '{instance_id}' found.")
        return instance

    # -- episodes -----------------------------------------------------------------------------

    def _wake(self, instance_id: str) -> None:
        if instance_id not in self._queued:
            self._queued.add(instance_id)
            self._due.put_nowait(instance_id)

    async def _dispatch(self) -> None:
        while True:
            instance_id = await self._due.get()
            self._queued.discard(instance_id)
            try:
                await self._episode(instance_id)
            except Exception:
                log.exception("episode of %s failed inside the host", instance_id)

    async def _episode(self, instance_id: str) -> None:
        instance = self._store.instance(instance_id)
        if instance is None:
            return
        rows = self._store.visible_inbox(instance)
        retries = self._store.retries(instance)
        batch = _batch(rows, retries, suspended=instance.status == "Suspended")
        if not batch:
            return  # suspended: its events wait for the resume
        if len(batch) < len(rows):
            self._wake(instance_id)
        if self._settled_without_replay(instance, batch):
            return
        history = self._store.history(instance.id)
        started = event(EventType.OrchestratorStarted)
        new_events = [started, *(r.event for r in batch)]
        state = await self._replay(instance, history + new_events)
        with self._store.transaction() as db:
            if self._store.current_status(db, instance) is None:
                return  # terminated, restarted or purged while the orchestrator ran: its episode is void
            self._store.consume(db, batch)
            if state.get("error") is not None:
                self._store.append_history(db, instance.id, len(history), new_events)
                self._finish(db, instance, "Failed", state["error"])
                return
            instance = replace(instance, status="Running", updated=iso(utc_now()),
                               custom_status=json.dumps(state["customStatus"]) if "customStatus" in state else None)
            next_seq = scheduled_count(history)
            retry = retries.get(_waited_id(batch[0].event)) if len(batch) == 1 else None
            if retry is not None:
                new_events += self._advance_retry(db, instance, retry, batch[0].event, seq=next_seq,
                                                  now=parse_iso(started["Timestamp"]))
                next_seq = scheduled_count(history + new_events)
            actions = numbered_actions(state.get("actions", []))
            for seq, action in enumerate(actions[action_count(history):], start=next_seq):
                scheduled = self._schedule(db, instance, seq, action, parse_iso(started["Timestamp"]))
                if scheduled is None:
                    return  # the action ended this execution (failure or continue-as-new)
                new_events.append(scheduled)
            new_events.append(event(EventType.OrchestratorCompleted))
            self._store.append_history(db, instance.id, len(history), new_events)
            if state.get("isDone"):
                self._finish(db, instance, "Completed", state.get("output"))
            else:
                self._store.put_instance(db, instance)

    def _settled_without_replay(self, instance: Instance, batch: list[InboxRow]) -> bool:
        """Events for an ended instance are dropped; a suspend or resume needs no replay."""
        if instance.is_terminal:
            with self._store.transaction() as db:
                self._store.consume(db, batch)
            return True
        if batch[0].event["EventType"] in CONTROLS:
            self._control(instance, batch[0])
            return True
        return False

    def _control(self, instance: Instance, row: InboxRow) -> None:
        """A suspend or resume: recorded in the history as the extension does; a repeated one changes nothing."""
        suspend = row.event["EventType"] == EventType.ExecutionSuspended
        with self._store.transaction() as db:
            self._store.consume(db, [row])
            if suspend == (instance.status == "Suspended"):
                return
            history = self._store.history(instance.id)
            self._store.append_history(db, instance.id, len(history), [row.event])
            status = "Suspended" if suspend else "Running"
            self._store.put_instance(db, replace(instance, status=status, updated=iso(utc_now())))
            log.info("orchestration %s (%s) %s", instance.id, instance.name, status.lower())
        if not suspend:
            self._wake(instance.id)

    async def _replay(self, instance: Instance, history: list[dict[str, Any]]) -> dict[str, Any]:
        info = self._index.orchestrators.get(instance.name)
        if info is None:
            return {"error": f"no orchestrator function named {instance.name!r} in this app"}
        context = {
            "history": history,
            "instanceId": instance.id,
            "isReplaying": False,
            "parentInstanceId": instance.parent_id,
            "input": _loads(instance.input),  # the extension sends the input text parsed
            "upperSchemaVersion": 1,
            "upperSchemaVersionNew": 2,
        }
        try:
            return json.loads(await self._invoker.call(info, json.dumps(context)))
        except Exception as error:
            message, _, state = str(error).partition(OUT_OF_PROC_MARKER)
            failed = json.loads(state) if state else {}
            return {**failed, "error": failed.get("error") or message}

    def _schedule(self, db: Any, instance: Instance, seq: int, action: dict[str, Any],
                  now: datetime) -> dict[str, Any] | None:
        """Carries out one new action; returns its history event, or None when it ended the episode."""
        kind = action["actionType"]
        if kind in (ActionType.CallActivity, ActionType.CallActivityWithRetry):
            scheduled = self._start_activity(db, instance, seq, action["functionName"], action.get("input"))
        elif kind in (ActionType.CallSubOrchestrator, ActionType.CallSubOrchestratorWithRetry):
            child_id = action.get("instanceId") or f"{instance.id}:{seq:04d}"
            scheduled = self._start_child(db, instance, seq, action["functionName"], child_id=child_id,
                                         input_json=action.get("input"))
        elif kind == ActionType.CreateTimer:
            fire_at = parse_iso(action["fireAt"])
            return self._start_timer(db, instance, seq, fire_at)
        elif kind == ActionType.ContinueAsNew:
            self._store.clear_execution(db, instance.id)
            restarted = replace(instance, execution=uuid.uuid4().hex, input=_input_text(action.get("input")))
            self._store.carry_external_events(db, instance, restarted.execution)
            started = event(EventType.ExecutionStarted, Name=instance.name, Input=restarted.input, Version="")
            self._store.post(db, instance.id, restarted.execution, started)
            self._store.put_instance(db, restarted)
            self._wake(instance.id)
            return None
        else:
            unsupported = ActionType(kind).name if kind in ActionType._value2member_map_ else str(kind)
            what = "Durable entities" if kind in ENTITY_ACTIONS else unsupported
            message = f"orchestrator {instance.name!r}: the local host does not support {what} ({unsupported})"
            log.warning("%s", message)
            self._finish(db, instance, "Failed", message)
            return None
        if scheduled is None or "retryOptions" not in action:
            return scheduled
        try:
            RetryPolicy.parse(action["retryOptions"])
        except ValueError as error:
            self._finish(db, instance, "Failed", str(error))
            return None
        self._store.put_retry(db, Retry(
            instance_id=instance.id, execution=instance.execution, waiting_on=seq, on_timer=False, first_id=seq,
            kind=kind, name=action["functionName"], child_id=action.get("instanceId"), input=action.get("input"),
            options=json.dumps(action["retryOptions"]), attempt=1, first_at=iso(now)))
        return scheduled

    def _start_activity(self, db: Any, instance: Instance, seq: int, name: str, input_json: str | None,
                        **marks: Any) -> dict[str, Any]:
        work_id = self._store.add_work(db, instance, seq, name, input_json)
        self._work.put_nowait(Work(work_id, instance.id, instance.execution, seq, name, input_json))
        return event(EventType.TaskScheduled, event_id=seq, Name=name, Input=input_json, **marks)

    def _start_child(self, db: Any, instance: Instance, seq: int, name: str, *, child_id: str,
                     input_json: str | None, **marks: Any) -> dict[str, Any] | None:
        if name not in self._index.orchestrators:
            self._finish(db, instance, "Failed", f"no orchestrator named {name!r}")
            return None
        self._create(db, child_id, name, _input_text(input_json), parent=(instance, seq))
        self._wake(child_id)
        return event(EventType.SubOrchestrationInstanceCreated, event_id=seq, Name=name,
                     InstanceId=child_id, Input=input_json, **marks)

    def _start_timer(self, db: Any, instance: Instance, seq: int, fire_at: datetime,
                     **marks: Any) -> dict[str, Any]:
        fired = event(EventType.TimerFired, TimerId=seq, FireAt=iso(fire_at))
        self._store.post(db, instance.id, instance.execution, fired, visible_at=iso(fire_at))
        self._timers_changed.set()
        return event(EventType.TimerCreated, event_id=seq, FireAt=iso(fire_at), **marks)

    def _advance_retry(self, db: Any, instance: Instance, retry: Retry, outcome: dict[str, Any], *, seq: int,
                       now: datetime) -> list[dict[str, Any]]:
        """What the extension's retry loop adds after `outcome`, numbered as the SDK's replay expects.

        A failed attempt is followed by a timer (also after the last attempt: the SDK waits for it
        before it raises); the timer by the next attempt, while attempts remain.
        """
        kind = outcome["EventType"]
        policy = RetryPolicy.loads(retry.options)
        self._store.drop_retry(db, retry)
        if kind in (EventType.TaskCompleted, EventType.SubOrchestrationInstanceCompleted):
            return []
        mark = {RETRY_MARK: retry.first_id}
        if kind != EventType.TimerFired:
            # Past the retry timeout the extension stops waiting; the SDK still needs its timer, so it fires at once.
            expired = policy.expired(parse_iso(retry.first_at), now)
            fire_at = now if expired else now + policy.delay(retry.attempt)
            self._store.put_retry(db, replace(retry, waiting_on=seq, on_timer=True))
            return [self._start_timer(db, instance, seq, fire_at, **mark)]
        if retry.attempt >= policy.max_attempts:
            return []  # the SDK raises the last failure now
        self._store.put_retry(db, replace(retry, waiting_on=seq, on_timer=False, attempt=retry.attempt + 1))
        if policy.expired(parse_iso(retry.first_at), now):
            activity = retry.kind == ActionType.CallActivityWithRetry
            failed = event(EventType.TaskFailed if activity else EventType.SubOrchestrationInstanceFailed,
                           TaskScheduledId=seq, Reason=f"retry timeout of {policy.timeout_ms:.0f} ms exceeded",
                           Details="")
            self._store.post(db, instance.id, instance.execution, failed)
            self._wake(instance.id)
            placeholder = EventType.TaskScheduled if activity else EventType.SubOrchestrationInstanceCreated
            return [event(placeholder, event_id=seq, Name=retry.name, Input=retry.input, **mark)]
        if retry.kind == ActionType.CallActivityWithRetry:
            return [self._start_activity(db, instance, seq, retry.name, retry.input, **mark)]
        child_id = retry.child_id or f"{instance.id}:{seq:04d}"
        started = self._start_child(db, instance, seq, retry.name, child_id=child_id, input_json=retry.input,
                                   **mark)
        return [] if started is None else [started]

    def _create(self, db: Any, instance_id: str, name: str, input_json: str | None,
                parent: tuple[Instance, int] | None) -> None:
        now = iso(utc_now())
        self._store.delete_instance(db, instance_id)
        instance = Instance(
            id=instance_id, name=name, status="Pending", execution=uuid.uuid4().hex, input=input_json,
            output=None, custom_status=None, created=now, updated=now,
            parent_id=parent[0].id if parent else None,
            parent_execution=parent[0].execution if parent else None,
            parent_task=parent[1] if parent else None,
        )
        self._store.put_instance(db, instance)
        started = event(EventType.ExecutionStarted, Name=name, Input=input_json, Version="")
        self._store.post(db, instance.id, instance.execution, started)

    def _finish(self, db: Any, instance: Instance, status: str, output: Any) -> None:
        """Ends an execution (its output, or the reason it failed) and tells its parent, if any."""
        ended = replace(instance, status=status, output=json.dumps(output), updated=iso(utc_now()))
        self._store.put_instance(db, ended)
        log.info("orchestration %s (%s) %s", instance.id, instance.name, status.lower())
        if instance.parent_id is None or instance.parent_execution is None:
            return
        if status == "Completed":
            note = event(EventType.SubOrchestrationInstanceCompleted, TaskScheduledId=instance.parent_task,
                         Result=json.dumps(output))
        else:
            note = event(EventType.SubOrchestrationInstanceFailed, TaskScheduledId=instance.parent_task,
                         Reason=f"sub-orchestration {instance.id} {status.lower()}", Details=str(output))
        self._store.post(db, instance.parent_id, instance.parent_execution, note)
        self._wake(instance.parent_id)

    # -- activities and timers ----------------------------------------------------------------

    async def _run_work(self) -> None:
        converter = meta.get_binding_registry().get("activityTrigger")
        while True:
            work = await self._work.get()
            info = self._index.activities.get(work.name)
            try:
                if info is None:
                    raise LookupError(f"no activity function named {work.name!r}")
                argument = converter.decode(meta.Datum(work.input, "json"), trigger_metadata={})
                outcome = event(EventType.TaskCompleted, TaskScheduledId=work.task_id,
                                Result=df_dumps(await self._invoker.call(info, argument)))
            except Exception as error:
                outcome = event(EventType.TaskFailed, TaskScheduledId=work.task_id,
                                Reason=f"{type(error).__name__}: {error}", Details="")
            with self._store.transaction() as db:
                if not self._store.finish_work(db, work.id):
                    continue  # the instance was terminated or restarted meanwhile
                self._store.post(db, work.instance_id, work.execution, outcome)
            self._wake(work.instance_id)

    async def _fire_timers(self) -> None:
        while True:
            next_at = self._store.next_fire_time()
            wait = None if next_at is None else max(0.0, (parse_iso(next_at) - utc_now()).total_seconds())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._timers_changed.wait(), wait)
            self._timers_changed.clear()
            for instance_id in self._store.due_instances():
                self._wake(instance_id)


def _input_text(action_input: str | None) -> str | None:
    """An orchestration's input text from an action's: the SDK's action carries its input as a JSON
    string, which the extension serializes again (and parses once when it hands it back)."""
    return None if action_input is None else json.dumps(action_input)


def _waited_id(history_event: dict[str, Any]) -> int | None:
    """The sequence id a completion event answers."""
    return history_event.get("TaskScheduledId", history_event.get("TimerId"))


def _batch(rows: list[InboxRow], retries: dict[int, Retry], *, suspended: bool) -> list[InboxRow]:
    """The inbox rows one episode takes.

    A suspended instance's events wait: it takes only its next suspend or resume.
    At most one raised event: if it makes the orchestrator continue as new, the events after it
    stay in the inbox for the new execution. An event of a task with retries goes alone, so the
    ids the SDK gives its timer and next attempt are the next free ones; so do suspend and resume.
    """
    if suspended:
        return [r for r in rows if r.event["EventType"] in CONTROLS][:1]
    for i, row in enumerate(rows):
        alone = row.event["EventType"] in CONTROLS or (
            row.event["EventType"] in COMPLETIONS and _waited_id(row.event) in retries)
        if alone:
            return rows[:i] or [row]
        if row.event["EventType"] == EventType.EventRaised:
            return rows[:i + 1]
    return rows


def _loads(text: str | None) -> Any:
    """A stored JSON text as a value; text that is not JSON stays as it is (as the extension shows it)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
