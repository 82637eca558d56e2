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
    from shared.conversation.tracking import ACTIVITY_EVENT, CALLBACK_EVENT, ENDED_EVENT, enter

    started = context.get_input()  # {"state": {...}, "deadline": iso, "began": iso}
    state, now = started["state"], context.current_utc_datetime
    began = started.get("began", now.isoformat())
    deadline_at = datetime.fromisoformat(started["deadline"]) if "deadline" in started else now + MAX_DURATION
    call = state.get("call")
    waits = {name: context.wait_for_external_event(name) for name in (ACTIVITY_EVENT, CALLBACK_EVENT, ENDED_EVENT)}
    waits["deadline"] = context.create_timer(deadline_at)
    if call and state["phase"] == "answered":
        state, ending = yield from _until_connected(context, state, call, waits)
        if ending:
            waits["deadline"].cancel()
            return _finish(context, state, ending)
    context.set_custom_status(state)
    state, outcome, disconnected = yield from _converse(context, state, call, waits)
    if outcome is None:
        context.continue_as_new({"state": state, "deadline": deadline_at.isoformat(), "began": began})
        return None
    if not waits["deadline"].is_completed:
        waits["deadline"].cancel()
    if call and not disconnected:  # the agent or a hang-up on the web side ends the call for everyone
        yield context.call_activity_with_retry("hang_up_call", RETRY, call)
    state = enter(state, "post-call", context.current_utc_datetime.isoformat())
    context.set_custom_status(state)
    recorded = yield context.call_activity_with_retry("record_conversation", RETRY, {
        "state": state, "began": began, "ended": context.current_utc_datetime.isoformat(), "outcome": outcome})
    return _finish(context, {**state, "conversation_id": recorded}, outcome)


def _until_connected(context: df.DurableOrchestrationContext, state: dict[str, Any], call: dict[str, Any],
                     waits: dict[str, Any]):
    """Waits for CallConnected; a call that never connects is hung up, not left ringing. -> (state, ending)"""
    from shared.conversation.tracking import CALLBACK_EVENT, enter, parse_callback

    state = enter(state, "answered", context.current_utc_datetime.isoformat())
    opened = yield context.call_activity_with_retry("open_call_session", RETRY, call)
    state = {**state, "session_id": opened["session_id"], "call": {**call, "known_caller": opened["known_caller"]}}
    context.set_custom_status(state)
    connect_by = context.create_timer(context.current_utc_datetime + timedelta(seconds=call["connect_seconds"]))
    while True:
        winner = yield context.task_any([waits[CALLBACK_EVENT], connect_by])
        if winner is connect_by:
            yield context.call_activity_with_retry("hang_up_call", RETRY, call)
            return enter(state, "not connected", context.current_utc_datetime.isoformat()), "not connected"
        event = parse_callback(winner.result)
        waits[CALLBACK_EVENT] = context.wait_for_external_event(CALLBACK_EVENT)
        if event and event["type"] == "CallConnected":
            connect_by.cancel()
            return enter(state, "connected", context.current_utc_datetime.isoformat()), None
        if event and event["type"] in ENDING:
            connect_by.cancel()
            return enter(state, "ended", context.current_utc_datetime.isoformat()), ENDING[event["type"]]


def _converse(context: df.DurableOrchestrationContext, state: dict[str, Any], call: dict[str, Any] | None,
              waits: dict[str, Any]):
    """Turns, tools and callbacks until the conversation ends. -> (state, outcome or None to continue as new,
    whether the call is already disconnected)"""
    from shared.conversation.tracking import ACTIVITY_EVENT, CALLBACK_EVENT, ENDED_EVENT

    for _ in range(EVENTS_PER_EXECUTION):
        winner = yield context.task_any(list(waits.values()))
        if winner is waits[ENDED_EVENT] or winner is waits["deadline"]:
            return state, "ended" if winner is waits[ENDED_EVENT] else "timed out", False
        name = ACTIVITY_EVENT if winner is waits[ACTIVITY_EVENT] else CALLBACK_EVENT
        waits[name] = context.wait_for_external_event(name)
        if name == ACTIVITY_EVENT:
            state, done = yield from _on_activity(context, state, call, winner.result)
            if done:
                return state, "ended", False
        else:
            state, ending = _on_callback(context, state, winner.result)
            if ending:
                return state, ending, True
    return state, None, False


def _on_activity(context: df.DurableOrchestrationContext, state: dict[str, Any], call: dict[str, Any] | None,
                 payload: Any):
    from shared.conversation.tracking import (
        ACTIVITY_EVENT,
        apply,
        asks_for_a_human,
        ends_conversation,
        enter,
        parse_activity,
    )

    reported = parse_activity(payload)
    if reported is None:  # anyone with the system key can raise events: ignore, never fail
        _ignored(context, ACTIVITY_EVENT)
        return state, False
    state = apply(state, reported)
    if call and asks_for_a_human(reported):
        state = enter(state, "transferring", context.current_utc_datetime.isoformat())
        transferred = yield context.call_activity_with_retry("transfer_call", RETRY, call)
        if not transferred["ok"]:  # the caller stays with the agent
            state = {**enter(state, "in conversation", context.current_utc_datetime.isoformat()),
                     "transfer": transferred["reason"]}
    context.set_custom_status(state)
    return state, ends_conversation(reported)


def _on_callback(context: df.DurableOrchestrationContext, state: dict[str, Any], payload: Any
                 ) -> tuple[dict[str, Any], str | None]:
    from shared.conversation.tracking import CALLBACK_EVENT, enter, parse_callback

    event = parse_callback(payload)
    if event is None:
        _ignored(context, CALLBACK_EVENT)
        return state, None
    if event["type"] == "CallTransferFailed":  # the caller is still here, with the agent
        state = {**enter(state, "in conversation", context.current_utc_datetime.isoformat()), "transfer": "failed"}
        context.set_custom_status(state)
    return state, ENDING.get(event["type"])


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
