"""Every conversation (a phone call or a web chat) is tracked by one Durable orchestration: a call's
phases, agent changes, tools, verification, how it ended, and the post-call record.

The tool endpoint and the chat report turns and tool calls to it; Call Automation callbacks reach
it through blueprints/calls.py. After the conversation it stores the transcript (masked), a
summary and tags as a Conversation: the dashboard's source.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import azure.durable_functions as df

bp = df.Blueprint()
log = logging.getLogger(__name__)
MAX_DURATION = timedelta(hours=2)  # a conversation nobody ended is closed after this
EVENTS_PER_EXECUTION = 50  # then continue-as-new, so the history stays short
RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=1000, max_number_of_attempts=4)
ENDING = {"CallDisconnected": "ended", "AnswerFailed": "not answered", "CallTransferAccepted": "transferred"}


@bp.orchestration_trigger(context_name="context")
def conversation_orchestrator(context: df.DurableOrchestrationContext):
    from shared.conversation.tracking import ACTIVITY_EVENT, ANSWERED_EVENT, CALL_EVENTS, ENDED_EVENT, enter

    started = context.get_input()  # {"state": {...}, "deadline": iso, "began": iso}
    state, now = started["state"], context.current_utc_datetime
    began = started.get("began", now.isoformat())
    deadline_at = datetime.fromisoformat(started["deadline"]) if "deadline" in started else now + MAX_DURATION
    call = state.get("call")
    names = (ACTIVITY_EVENT, ENDED_EVENT, *((*CALL_EVENTS, ANSWERED_EVENT) if call else ()))
    waits = {name: context.wait_for_external_event(name) for name in names}
    waits["deadline"] = context.create_timer(deadline_at)
    if call and state["phase"] == "ringing":
        state, ending = yield from _until_connected(context, state, call, waits)
        if ending:
            waits["deadline"].cancel()
            return _finish(context, state, ending)
    context.set_custom_status(state)
    state, outcome, disconnected = yield from _converse(context, state, waits)
    if outcome is None:
        context.continue_as_new({"state": state, "deadline": deadline_at.isoformat(), "began": began})
        return None
    for timer in ("deadline", "farewell"):
        if timer in waits and not waits[timer].is_completed:
            waits[timer].cancel()
    if call and not disconnected:  # the agent or a hang-up on the web side ends the call for everyone
        yield context.call_activity_with_retry("hang_up_call", RETRY, call)
    state = enter(state, "post-call", context.current_utc_datetime.isoformat())
    context.set_custom_status(state)
    recorded = yield context.call_activity_with_retry("record_conversation", RETRY, {
        "state": state, "began": began, "ended": context.current_utc_datetime.isoformat(), "outcome": outcome,
        "conversation": context.instance_id})
    return _finish(context, {**state, "conversation_id": recorded}, outcome)


def _until_connected(context: df.DurableOrchestrationContext, state: dict[str, Any], call: dict[str, Any],
                     waits: dict[str, Any]):
    """Waits for the answer to go out, then opens the caller's session while the call connects (not before:
    the answer is what the caller waits for). A call that never connects is hung up, not left ringing.
    -> (state, ending or None)"""
    from shared.conversation.tracking import ANSWERED_EVENT, enter

    state = enter(state, "ringing", context.current_utc_datetime.isoformat())
    context.set_custom_status(state)
    connect_by = context.create_timer(context.current_utc_datetime + timedelta(seconds=call["connect_seconds"]))
    ends = [waits[name] for name in ENDING if name in waits]
    connected = waits["CallConnected"]
    winner = yield context.task_any([waits[ANSWERED_EVENT], connected, connect_by, *ends])
    if winner is waits[ANSWERED_EVENT] or winner is connected:  # CallConnected also says it was answered
        state = enter(state, "answered", context.current_utc_datetime.isoformat())
        opened = yield context.call_activity_with_retry("open_call_session", RETRY, call)
        state = {**state, "session_id": opened["session_id"], "call": {**call, "known_caller": opened["known_caller"]}}
        context.set_custom_status(state)
        if winner is not connected:
            winner = yield context.task_any([connected, connect_by, *ends])
    at = context.current_utc_datetime.isoformat()
    if winner is connect_by:
        yield context.call_activity_with_retry("hang_up_call", RETRY, call)
        return enter(state, "not connected", at), "not connected"
    connect_by.cancel()
    if winner is connected:
        waits["CallConnected"] = context.wait_for_external_event("CallConnected")
        return enter(state, "connected", at), None
    return enter(state, "ended", at), next(ENDING[name] for name in ENDING if waits.get(name) is winner)


def _converse(context: df.DurableOrchestrationContext, state: dict[str, Any], waits: dict[str, Any]):
    """Turns, tools and callbacks until the conversation ends. -> (state, outcome or None to continue as new,
    whether the call is already disconnected)"""
    from shared.conversation.tracking import (
        ACTIVITY_EVENT,
        ENDED_EVENT,
        apply,
        ends_conversation,
        enter,
        parse_activity,
    )

    if "farewell_by" in state:
        waits["farewell"] = context.create_timer(datetime.fromisoformat(state["farewell_by"]))
    for _ in range(EVENTS_PER_EXECUTION):
        winner = yield context.task_any(list(waits.values()))
        if winner is waits[ENDED_EVENT] or winner is waits.get("farewell"):
            return state, "ended", False
        if winner is waits["deadline"]:
            return state, "timed out", False
        name = next(n for n, task in waits.items() if task is winner)
        waits[name] = context.wait_for_external_event(name)
        if name in ENDING:
            return state, ENDING[name], True
        if name == "CallTransferFailed":  # the caller is still here, with the agent
            state = {**enter(state, "in conversation", context.current_utc_datetime.isoformat()), "transfer": "failed"}
        elif name == ACTIVITY_EVENT:
            reported = parse_activity(winner.result)
            if reported is None:  # anyone with the system key can raise events: ignore, never fail
                _ignored(context, name)
                continue
            state = apply(state, reported)
            if ends_conversation(reported):
                if "call" not in state:
                    context.set_custom_status(state)
                    return state, "ended", False
                if "farewell_by" not in state:  # the goodbye plays; the media path then ends the session
                    state = _farewell(context, state, waits)
        context.set_custom_status(state)
    return state, None, False


def _farewell(context: df.DurableOrchestrationContext, state: dict[str, Any], waits: dict[str, Any]
              ) -> dict[str, Any]:
    """The agent ended the call: it is hung up once the goodbye has played, or when the call's farewell time
    is up (kept in the state, so that a restart or a continue-as-new keeps the deadline)."""
    from shared.conversation.tracking import enter

    now = context.current_utc_datetime
    farewell_by = now + timedelta(seconds=state["call"]["farewell_seconds"])
    waits["farewell"] = context.create_timer(farewell_by)
    return {**enter(state, "saying goodbye", now.isoformat()), "farewell_by": farewell_by.isoformat()}


def _finish(context: df.DurableOrchestrationContext, state: dict[str, Any], outcome: str) -> dict[str, Any]:
    state = {**state, "status": outcome}
    context.set_custom_status(state)
    return state


def _ignored(context: df.DurableOrchestrationContext, name: str) -> None:
    if not context.is_replaying:
        log.warning("conversation %s ignored a malformed %s event", context.instance_id, name)


@bp.activity_trigger(input_name="work")
async def record_conversation(work: dict[str, Any]) -> str | None:
    """Stores the conversation (transcript masked, summary, tags) for the dashboard; None if nothing was said."""
    from shared.analytics.post_call import record
    from shared.settings import get_settings
    from shared.telemetry import conversation_span

    with conversation_span(get_settings(), work.get("conversation", ""), "conversation.record"):
        return await record(get_settings(), work["state"], work["began"], work["ended"], work["outcome"])


async def end(client: df.DurableOrchestrationClient, session: Any) -> None:
    from shared.conversation.tracking import ENDED_EVENT

    await _raise(client, session.call_instance_id, ENDED_EVENT, None)


async def track(client: df.DurableOrchestrationClient, session: Any, event: dict[str, Any]) -> None:
    """Reports to the session's conversation orchestration; a conversation that ended takes no more."""
    from shared.conversation.tracking import ACTIVITY_EVENT

    await _raise(client, session.call_instance_id, ACTIVITY_EVENT, event)


async def _raise(client: df.DurableOrchestrationClient, instance_id: str, name: str, data: Any) -> None:
    try:
        await client.raise_event(instance_id, name, data)
    except Exception as error:  # gone or finished: what the caller asked for happened all the same
        log.info("conversation %s takes no more events: %s", instance_id, error)
