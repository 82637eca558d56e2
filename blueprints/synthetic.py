"""Synthetic company generation: a Durable orchestration fanning out batches of activities."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskState

from blueprints.deps import app_data

bp = df.Blueprint()
CANCEL_EVENT = "cancel"


@bp.orchestration_trigger(context_name="context")
def synthetic_orchestrator(context: df.DurableOrchestrationContext):
    """Writes the company stage by stage; progress in custom status; a `cancel` event stops it.

    Input: {"run_id", "spec", "stages": [[{"kind", "start", "count"}, ...], ...], "totals": {kind: n}}.
    """
    run = context.get_input()
    work = {"run_id": run["run_id"], "spec": run["spec"]}
    if not (yield context.call_activity("synthetic_begin", work)):
        return {"status": "refused", "error": "a company exists already"}
    progress = {kind: {"done": 0, "total": total} for kind, total in run["totals"].items()}
    cancel = context.wait_for_external_event(CANCEL_EVENT)
    outcome, error = "complete", None
    for stage in run["stages"]:
        pending = {context.call_activity("synthetic_batch", {**work, **batch}): batch for batch in stage}
        while pending and outcome == "complete":
            winner = yield context.task_any([*pending, cancel])
            if winner is cancel:
                outcome, error = "cancelled", "cancelled by an administrator"
                break
            batch = pending.pop(winner)
            if winner.state is TaskState.FAILED:
                outcome, error = "failed", f"{batch['kind']} batch at {batch['start']}: {winner.result}"
                break
            progress[batch["kind"]]["done"] += batch["count"]
            context.set_custom_status({"status": "generating", "progress": progress})
        if outcome != "complete":
            break
    yield context.call_activity("synthetic_finish", {"run_id": run["run_id"], "status": outcome, "error": error})
    context.set_custom_status({"status": outcome, "progress": progress})
    return {"status": outcome, "progress": progress, "error": error}


@bp.activity_trigger(input_name="work")
async def synthetic_begin(work: dict[str, Any]) -> bool:
    from shared.synthetic import run
    from shared.synthetic.spec import CompanySpec

    data = await app_data()
    return await run.begin(data, CompanySpec(**work["spec"]), work["run_id"], datetime.now(UTC))


@bp.activity_trigger(input_name="work")
async def synthetic_batch(work: dict[str, Any]) -> dict[str, Any]:
    from shared.settings import get_settings
    from shared.synthetic import run
    from shared.synthetic.llm import LlmWriter
    from shared.synthetic.spec import CompanySpec

    settings = get_settings()
    writer = LlmWriter(settings) if settings.llm_base_url else None
    try:
        return await run.write_batch(await app_data(), CompanySpec(**work["spec"]), work["run_id"], kind=work["kind"],
                                     start=work["start"], count=work["count"], writer=writer)
    finally:
        if writer is not None:
            await writer.close()


@bp.activity_trigger(input_name="outcome")
async def synthetic_finish(outcome: dict[str, Any]) -> None:
    from shared.data.company import RunStatus
    from shared.synthetic import run

    await run.finish(await app_data(), outcome["run_id"], RunStatus(outcome["status"]), datetime.now(UTC),
                     outcome["error"])
