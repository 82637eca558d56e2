"""Admin HTTP API: the synthetic company, its customers and products, and the dashboard."""

from __future__ import annotations

import uuid

import azure.durable_functions as df
import azure.functions as func

from blueprints.deps import app_data
from blueprints.http import JSON_BYTES, error_response, json_response, query, refusing, route_id

bp = df.Blueprint()
ADMIN = func.AuthLevel.ADMIN  # the master key: these routes read and delete every customer's data


@bp.route(route="admin/synthetic", methods=["POST"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing(JSON_BYTES)
async def start_synthetic(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.http import parse_body
    from shared.synthetic.run import orchestration_input
    from shared.synthetic.spec import CompanySpec

    spec = parse_body(req, CompanySpec)
    existing = await (await app_data()).companies.current()
    if existing is not None:
        return error_response(409, f"company {existing.name!r} exists ({existing.status.value}): "
                                   "DELETE /api/admin/company first")
    from blueprints.api_models import RunStarted, dump

    run_id = f"synthetic-{uuid.uuid4().hex}"
    await client.start_new("synthetic_orchestrator", run_id, orchestration_input(spec, run_id))
    return json_response(dump(RunStarted(id=run_id, statusUri=f"/api/admin/synthetic/{run_id}")), 202)


@bp.route(route="admin/synthetic/{run_id}", methods=["GET"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def synthetic_status(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.api_models import OrchestrationView, dump

    status = await client.get_status(route_id(req, "run_id"))
    if not status or status.name != "synthetic_orchestrator":
        return error_response(404, "no synthetic run with this id")
    return json_response(dump(OrchestrationView.of(status)))


@bp.route(route="admin/synthetic/{run_id}/cancel", methods=["POST"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def cancel_synthetic(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.api_models import Cancelling, dump
    from blueprints.synthetic import CANCEL_EVENT

    run_id = route_id(req, "run_id")
    status = await client.get_status(run_id)
    if not status or status.name != "synthetic_orchestrator":
        return error_response(404, "no synthetic run with this id")
    if status.runtime_status not in (df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending):
        return error_response(409, f"the run is {status.runtime_status.value}: nothing to cancel")
    await client.raise_event(run_id, CANCEL_EVENT, None)
    return json_response(dump(Cancelling(id=run_id, cancelling=True)), 202)


@bp.route(route="admin/company", methods=["GET"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def get_company(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.api_models import CompanyView, dump

    record = await (await app_data()).companies.current()
    if record is None:
        return error_response(404, "no company yet: POST /api/admin/synthetic creates one")
    run = await client.get_status(record.run_id)
    runtime = run.runtime_status.value if run and run.runtime_status else None
    return json_response(dump(CompanyView.model_validate(record.as_seen(runtime))))


@bp.route(route="admin/company", methods=["DELETE"], auth_level=ADMIN)
@refusing()
async def delete_company(req: func.HttpRequest) -> func.HttpResponse:
    from shared.data.company import RunStatus
    from shared.erasure import erase_company
    from shared.settings import get_settings

    record = await (await app_data()).companies.current()
    if record is not None and record.status is RunStatus.GENERATING:
        return error_response(409, f"run {record.run_id} is still generating: cancel it first")
    await erase_company(get_settings())
    return func.HttpResponse(status_code=204)


@bp.route(route="admin/customers", methods=["GET"], auth_level=ADMIN)
@refusing()
async def list_customers(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import CustomerPage, dump
    from shared.data.paging import PageRequest

    page = query(req, PageRequest)
    customers, continuation = await (await app_data()).customers.page(page.limit, page.continuation)
    return json_response(dump(CustomerPage(items=customers, continuation=continuation)))


@bp.route(route="admin/customers/{customer_id}", methods=["GET"], auth_level=ADMIN)
@refusing()
async def get_customer(req: func.HttpRequest) -> func.HttpResponse:
    customer = await (await app_data()).customers.get(route_id(req, "customer_id"))
    if customer is None:
        return error_response(404, "no customer with this id")
    return json_response(customer.model_dump(mode="json"))


@bp.route(route="admin/customers/{customer_id}", methods=["DELETE"], auth_level=ADMIN)
@refusing()
async def delete_customer(req: func.HttpRequest) -> func.HttpResponse:
    customer_id = route_id(req, "customer_id")
    forgotten = await (await app_data()).forget_customer(customer_id)
    if forgotten is None:
        return error_response(404, "no customer with this id")
    from blueprints.api_models import CustomerDeleted, dump

    return json_response(dump(CustomerDeleted(deleted=customer_id, **forgotten)))


@bp.route(route="admin/products", methods=["GET"], auth_level=ADMIN)
@refusing()
async def list_products(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import ProductList, dump

    return json_response(dump(ProductList(items=await (await app_data()).products.all())))


@bp.route(route="admin/dashboard", methods=["GET"], auth_level=ADMIN)
@refusing()
async def dashboard(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import Dashboard, DashboardCompany, dump

    data = await app_data()
    record = await data.companies.current()
    company = None if record is None else DashboardCompany(name=record.name, industry=record.industry,
                                                           status=record.status, totals=record.totals())
    return json_response(dump(Dashboard(company=company, **await data.dashboard.figures())))


@bp.route(route="admin/dashboard/rebuild", methods=["POST"], auth_level=ADMIN)
@refusing()
async def rebuild_dashboard(req: func.HttpRequest) -> func.HttpResponse:
    """Recounts the dashboard from every conversation: a repair for counters edited by hand (a crash
    cannot make them drift). It reads all conversations: not for every request."""
    from blueprints.api_models import DashboardFigures, dump

    data = await app_data()
    return json_response(dump(DashboardFigures(**await data.dashboard.rebuild(await data.conversations.scan()))))


@bp.route(route="admin/outbox", methods=["GET"], auth_level=ADMIN)
@refusing()
async def list_outbox(req: func.HttpRequest) -> func.HttpResponse:
    """Emails as the local SMTP server received them (newest first)."""
    from blueprints.api_models import Outbox, dump
    from shared.data.paging import PageRequest
    from shared.settings import get_settings
    from shared.tools.email import outbox

    page = query(req, PageRequest)
    return json_response(dump(Outbox(items=await outbox(get_settings(), page.limit))))


@bp.route(route="admin/conversations", methods=["GET"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def list_conversations(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """The newest calls and chats, live or ended, as their orchestrations track them."""
    from datetime import UTC, datetime

    from blueprints.api_models import ConversationRun, ConversationRuns, dump
    from shared.conversation.overview import recent
    from shared.data.paging import PageRequest

    page = query(req, PageRequest)
    runs = await recent(lambda since, prefix: client.get_status_by(created_time_from=since, instance_id_prefix=prefix),
                        datetime.now(UTC), page.limit)
    return json_response(dump(ConversationRuns(items=[ConversationRun.of(s) for s in runs])))


@bp.route(route="admin/conversations/{instance_id}", methods=["GET"], auth_level=ADMIN)
@bp.durable_client_input(client_name="client")
@refusing()
async def get_conversation(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    from blueprints.api_models import ConversationDetail, ConversationRun, dump
    from shared.conversation.overview import ORCHESTRATOR, transcript
    from shared.settings import get_settings

    status = await client.get_status(route_id(req, "instance_id"))
    if not status or status.name != ORCHESTRATOR:
        return error_response(404, "no call or chat with this id")
    run = ConversationRun.of(status)
    turns, record = await transcript(get_settings(), run.state or {})
    return json_response(dump(ConversationDetail(**run.model_dump(), transcript=turns, record=record)))


@bp.route(route="openapi.json", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def openapi(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.openapi import document

    return json_response(document())
