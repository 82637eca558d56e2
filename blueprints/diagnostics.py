"""Health probe and the diagnostics orchestration: each dependency checked by an activity."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import error_response, json_response, refusing, route_id

bp = df.Blueprint()
# Each check has its own timeout; this bounds a run whose activities never come back.
RUN_DEADLINE = timedelta(seconds=60)


@bp.route(route="health", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
async def health(req: func.HttpRequest) -> func.HttpResponse:
    from shared.diagnostics import CHECKS, run_check
    from shared.diagnostics.report import summarize
    from shared.settings import get_settings

    settings = get_settings()
    reports = await asyncio.gather(*(run_check(name, settings) for name in CHECKS))
    summary = summarize(reports, settings.mode)
    return json_response(summary, 200 if summary["status"] == "healthy" else 503)


@bp.route(route="admin/diagnostics", methods=["POST"], auth_level=func.AuthLevel.ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def start_diagnostics(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from shared.diagnostics import CHECKS
    from shared.settings import get_settings

    plan = {"mode": get_settings().mode, "checks": list(CHECKS)}
    instance_id = await client.start_new("diagnostics_orchestrator", None, plan)
    return client.create_check_status_response(req, instance_id)


@bp.route(route="admin/diagnostics/{instance_id}", methods=["GET"], auth_level=func.AuthLevel.ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def diagnostics_status(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.api_models import OrchestrationView, dump

    status = await client.get_status(route_id(req, "instance_id"))
    if not status or status.name != "diagnostics_orchestrator":
        return error_response(404, "no diagnostics run with this id")
    return json_response(dump(OrchestrationView.of(status)))


@bp.orchestration_trigger(context_name="context")
def diagnostics_orchestrator(context: df.DurableOrchestrationContext):
    """Fans out one deep check per dependency; a durable timer bounds the whole run."""
    from shared.diagnostics.checks import DependencyReport
    from shared.diagnostics.report import summarize

    plan = context.get_input()
    names: list[str] = plan["checks"]
    pending = {context.call_activity("check_dependency", name): name for name in names}
    deadline = context.create_timer(context.current_utc_datetime + RUN_DEADLINE)
    reports = {}
    while pending:
        winner = yield context.task_any([*pending, deadline])
        if winner is deadline:
            break
        reports[pending.pop(winner)] = DependencyReport(**winner.result)
        context.set_custom_status({"done": len(reports), "total": len(names), "checked": sorted(reports)})
    if not deadline.is_completed:
        deadline.cancel()
    for name in pending.values():
        reports[name] = DependencyReport.unanswered(name, RUN_DEADLINE.total_seconds())
    return summarize((reports[name] for name in names), plan["mode"])


@bp.activity_trigger(input_name="name")
async def check_dependency(name: str) -> dict[str, Any]:
    from shared.diagnostics import run_check
    from shared.settings import get_settings

    report = await run_check(name, get_settings(), deep=True)
    return report.model_dump(mode="json")
