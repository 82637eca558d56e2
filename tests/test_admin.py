"""The admin API and synthetic company generation, on the local host against the real stand-ins."""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.stack import Endpoints
from shared.analytics.dashboard import tally
from shared.data.access import business_data
from shared.settings import Settings
from tests.hosting import HostProcess, generate_company, wait_for

SMALL = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 12, "products": 6, "purchases": 30,
         "conversations": 15, "seed": 3}


@pytest.fixture(scope="module")
def admin_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir: Path = tmp_path_factory.mktemp("admin")
    database = f"admin-{uuid.uuid4().hex[:8]}"
    host = HostProcess("function_app:app", workdir, env={**stack.as_settings(), "COSMOS_DATABASE": database})
    host.database = database  # type: ignore[attr-defined]
    yield host.start()
    host.stop()


@pytest.mark.parametrize(("change", "field"), [
    ({"colour": "green"}, "colour"),
    ({"customers": 1001}, "customers"),
    ({"purchases": "many"}, "purchases"),
    ({"name": ""}, "name"),
])
def test_bad_specs_are_refused_naming_the_field_and_write_nothing(admin_host: HostProcess, change: dict,
                                                                   field: str) -> None:
    with admin_host.admin() as http:
        http.delete("/api/admin/company")
        refused = http.post("/api/admin/synthetic", json={**SMALL, **change})
        assert refused.status_code == 400
        assert field in refused.json()["error"]
        assert [f["field"] for f in refused.json()["fields"]] == [field]
        assert http.get("/api/admin/company").status_code == 404


def test_a_body_that_is_not_json_is_refused(admin_host: HostProcess) -> None:
    with admin_host.admin() as http:
        refused = http.post("/api/admin/synthetic", content=b"{name: Contoso")
        assert refused.status_code == 400 and "not JSON" in refused.json()["error"]


async def test_generation_writes_the_company_and_the_dashboard_matches_a_recount(admin_host: HostProcess,
                                                                                  stack: Endpoints) -> None:
    status = generate_company(admin_host, SMALL)
    assert status["runtimeStatus"] == "Completed"
    assert status["result"]["status"] == "complete"
    assert all(p["done"] == p["total"] for p in status["progress"]["progress"].values())
    with admin_host.admin() as http:
        company = http.get("/api/admin/company").json()
        assert company["status"] == "complete"
        assert {k: v["stored"] for k, v in company["totals"].items()} == {
            k: SMALL[k] for k in ("customers", "products", "purchases", "conversations")}
        assert http.post("/api/admin/synthetic", json=SMALL).status_code == 409
        first = http.get("/api/admin/customers", params={"limit": 5}).json()
        second = http.get("/api/admin/customers", params={"limit": 10, "continuation": first["continuation"]}).json()
        assert len(first["items"]) + len(second["items"]) == 12
        assert http.get("/api/admin/customers", params={"limit": 500}).status_code == 400
        assert len(http.get("/api/admin/products").json()["items"]) == 6
        figures = http.get("/api/admin/dashboard").json()

    data = await business_data(Settings(**stack.as_settings(), COSMOS_DATABASE=admin_host.database))  # type: ignore[attr-defined]
    conversations = await data.conversations.scan()
    expected = tally(conversations)
    assert {k: v for k, v in figures.items() if k != "company"} == expected
    assert figures["conversations"] == 15 and figures["company"]["status"] == "complete"

    await data.dashboard.add("drift", [conversations[0]], -1)  # counters that went wrong, say by hand
    with admin_host.admin() as http:
        assert http.get("/api/admin/dashboard").json()["conversations"] == 14
        assert http.post("/api/admin/dashboard/rebuild").json() == expected
        assert http.get("/api/admin/dashboard").json()["conversations"] == 15


def test_the_same_seed_gives_the_same_company(admin_host: HostProcess) -> None:
    def snapshot() -> tuple[list, list]:
        assert generate_company(admin_host, SMALL)["result"]["status"] == "complete"
        with admin_host.admin() as http:
            return (http.get("/api/admin/customers", params={"limit": 100}).json()["items"],
                    http.get("/api/admin/products").json()["items"])

    assert snapshot() == snapshot()


def test_deleting_a_customer_removes_their_records_and_their_dashboard_counts(admin_host: HostProcess) -> None:
    generate_company(admin_host, SMALL)
    with admin_host.admin() as http:
        before = http.get("/api/admin/dashboard").json()["conversations"]
        customer_id = http.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]["id"]
        deleted = http.delete(f"/api/admin/customers/{customer_id}")
        assert deleted.status_code == 200
        assert http.get(f"/api/admin/customers/{customer_id}").status_code == 404
        assert http.delete(f"/api/admin/customers/{customer_id}").status_code == 404
        assert http.get("/api/admin/dashboard").json()["conversations"] == before - deleted.json()["conversations"]


def test_a_cancelled_run_is_marked_cancelled(admin_host: HostProcess) -> None:
    big = {**SMALL, "customers": 1000, "products": 200, "purchases": 10000, "conversations": 5000}
    with admin_host.admin() as http:
        http.delete("/api/admin/company")
        run_id = http.post("/api/admin/synthetic", json=big).json()["id"]
        wait_for(lambda: http.get("/api/admin/company").status_code == 200)
        assert http.post(f"/api/admin/synthetic/{run_id}/cancel").status_code == 202
        status = wait_for(lambda: (s := http.get(f"/api/admin/synthetic/{run_id}").json())["runtimeStatus"]
                          == "Completed" and s, timeout_seconds=60)
        assert status["result"]["status"] == "cancelled"
        company = http.get("/api/admin/company").json()
        assert company["status"] == "cancelled"
        assert company["totals"]["conversations"]["stored"] < 5000
        assert http.post(f"/api/admin/synthetic/{run_id}/cancel").status_code == 409


@functools.cache  # the app builds its function list once per process
def http_routes() -> dict[str, set[str]]:
    """Every HTTP route of the function app as /api/<route> in OpenAPI's {name} form, with its methods."""
    import function_app

    routes: dict[str, set[str]] = {}
    for function in function_app.app.get_functions():
        for binding in json.loads(function.get_function_json())["bindings"]:
            if binding["type"] == "httpTrigger":
                path = "/api/" + re.sub(r"\{(\w+)(?::\w+)?\??\}", r"{\1}", binding["route"])
                routes.setdefault(path, set()).update(m.lower() for m in binding["methods"])
    return routes


def test_admin_endpoints_need_the_master_key_and_are_all_in_the_openapi_document(admin_host: HostProcess) -> None:
    admin_routes = {path for path in http_routes() if path.startswith("/api/admin/")}
    with admin_host.client(key=None) as anonymous:
        document = anonymous.get("/api/openapi.json").json()
        assert anonymous.get("/api/admin/dashboard").status_code == 401
    with admin_host.client("function") as function_key:
        assert function_key.get("/api/admin/dashboard").status_code == 401
    with admin_host.client(key=None) as http:
        assert http.get("/api/admin/dashboard", params={"code": admin_host.keys.master_key}).status_code == 200
    assert admin_routes and admin_routes <= set(document["paths"])
    for path in admin_routes:
        for operation in document["paths"][path].values():
            assert "401" in operation["responses"] and "413" in operation["responses"], path
            assert operation["security"] == [{"masterKeyHeader": []}, {"masterKeyQuery": []}], path


def test_every_http_route_and_method_is_in_the_openapi_document() -> None:
    from blueprints.openapi import document

    paths = document()["paths"]
    missing = {path: methods - set(paths.get(path, {})) for path, methods in http_routes().items()}
    assert not {path: methods for path, methods in missing.items() if methods}



def test_the_openapi_document_declares_the_keys_and_the_company_totals() -> None:
    from blueprints.openapi import document

    spec = document()
    session = [{"serviceKey": [], "sessionId": [], "sessionToken": []}]
    assert spec["paths"]["/api/chat"]["post"]["security"] == session
    assert spec["paths"]["/api/tools/{name}"]["post"]["security"] == session
    assert spec["paths"]["/api/sessions"]["post"]["security"] == [{"serviceKey": []}]
    assert spec["paths"]["/api/health"]["get"]["security"] == []
    assert {"401", "413"} <= set(spec["paths"]["/api/chat"]["post"]["responses"])
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["masterKeyQuery"]["in"], schemes["masterKeyQuery"]["name"]) == ("query", "code")
    assert "totals" in spec["components"]["schemas"]["CompanyView"]["required"]
