"""Conversations tracked by a Durable orchestration: agent changes, tools and how each one ended.

Every session (a phone call or a web chat) has one; the tool endpoint and the chat report to it.
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


@bp.orchestration_trigger(context_name="context")
def conversation_orchestrator(context: df.DurableOrchestrationContext):
    from shared.calls.tracking import ACTIVITY_EVENT, ENDED_EVENT, apply, ends_conversation, parse_activity

    started = context.get_input()  # {"state": {...}, "deadline": iso}
    state = started["state"]
    deadline_at = (datetime.fromisoformat(started["deadline"]) if "deadline" in started
                   else context.current_utc_datetime + MAX_DURATION)
    ended = context.wait_for_external_event(ENDED_EVENT)
    deadline = context.create_timer(deadline_at)
    context.set_custom_status(state)
    for _ in range(EVENTS_PER_EXECUTION):
        activity = context.wait_for_external_event(ACTIVITY_EVENT)
        winner = yield context.task_any([activity, ended, deadline])
        if winner is activity:
            reported = parse_activity(activity.result)
            if reported is None:  # anyone with the system key can raise events: ignore, never fail
                if not context.is_replaying:
                    log.warning("conversation %s ignored a malformed %s event", context.instance_id, ACTIVITY_EVENT)
                continue
            state = apply(state, reported)
            context.set_custom_status(state)
            if not ends_conversation(reported):
                continue
        outcome = "ended" if winner is not deadline else "timed out"
        if not deadline.is_completed:
            deadline.cancel()
        state = {**state, "status": outcome}
        context.set_custom_status(state)
        return state
    context.continue_as_new({"state": state, "deadline": deadline_at.isoformat()})
    return None


async def end(client: df.DurableOrchestrationClient, session: Any) -> None:
    from shared.calls.tracking import ENDED_EVENT

    await _raise(client, session, ENDED_EVENT, None)


async def track(client: df.DurableOrchestrationClient, session: Any, event: dict[str, Any]) -> None:
    """Reports to the session's conversation orchestration; a conversation that ended takes no more."""
    from shared.calls.tracking import ACTIVITY_EVENT

    await _raise(client, session, ACTIVITY_EVENT, event)


async def _raise(client: df.DurableOrchestrationClient, session: Any, name: str, data: Any) -> None:
    if not session.call_instance_id:
        return
    try:
        await client.raise_event(session.call_instance_id, name, data)
    except Exception as error:  # gone or finished: what the caller asked for happened all the same
        log.info("conversation %s takes no more events: %s", session.call_instance_id, error)
