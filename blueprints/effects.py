"""Confirmed side effects, each a small Durable orchestration whose id comes from the session and the tool call.

Starting one again finds the first run and returns its result; its history is the ledger of what
was done for the caller. Its activity writes idempotently, so running it again after a crash
(Durable runs activities at least once) changes nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import azure.durable_functions as df

bp = df.Blueprint()
log = logging.getLogger(__name__)
WAIT_SECONDS = 20.0  # what a caller may wait for an order or an email before hearing "still working on it"
# An activity that raised (storage briefly away, a worker lost) runs again; its writes are idempotent.
RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=500, max_number_of_attempts=4)


@bp.orchestration_trigger(context_name="context")
def side_effect_orchestrator(context: df.DurableOrchestrationContext):
    return (yield context.call_activity_with_retry("perform_side_effect", RETRY, context.get_input()))


@bp.activity_trigger(input_name="work")
async def perform_side_effect(work: dict[str, Any]) -> dict[str, Any]:
    from shared.settings import get_settings
    from shared.tools.runner import perform

    return (await perform(get_settings(), work)).model_dump()


class DurableEffects:
    """The effect runner of the function app: one orchestration per confirmed tool call."""

    def __init__(self, client: df.DurableOrchestrationClient) -> None:
        self._client = client

    async def perform(self, instance_id: str, work: dict[str, Any]) -> Any:
        from shared.tools.registry import ToolResult

        status = await self._client.get_status(instance_id)
        if status.runtime_status is None:
            try:
                await self._client.start_new("side_effect_orchestrator", instance_id, work)
            except Exception as error:  # a concurrent retry started it first: wait for that run
                log.info("side effect %s already started: %s", instance_id, error)
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        pause = 0.01
        while True:
            status = await self._client.get_status(instance_id)
            state = status.runtime_status
            if state == df.OrchestrationRuntimeStatus.Completed:
                return ToolResult.model_validate(status.output)
            if state in (df.OrchestrationRuntimeStatus.Failed, df.OrchestrationRuntimeStatus.Terminated):
                return ToolResult(ok=False, error="that could not be completed; please try again later")
            if asyncio.get_running_loop().time() > deadline:
                return ToolResult(ok=False, error="that is still being carried out; ask me again in a moment")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.25)
