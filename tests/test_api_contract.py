"""Schemathesis fuzzes the API from its OpenAPI document, on a real product host with a small company:
no input may make it answer 5xx, every status must be one the document declares, every body must
match its declared schema. Bounded: a fixed seed, a fixed number of examples per operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host

COMPANY = {"name": "Fabrikam Fuzz", "industry": "kitchen appliances", "customers": 8, "products": 4,
           "purchases": 12, "conversations": 6, "seed": 11}
FUZZED = r"^/api/"  # every route: admin, client and public
# Deleting the company or a customer would leave nothing for the other operations to find.
DESTRUCTIVE = (("DELETE", "/api/admin/company"), ("DELETE", "/api/admin/customers/{customer_id}"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 50


@pytest.fixture(scope="module")
def fuzzed_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    host = product_host(tmp_path_factory.mktemp("contract"), stack.as_settings())
    host.start()
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    yield host
    host.stop()


@pytest.fixture(scope="module")
def credentials(fuzzed_host: HostProcess) -> dict[str, str]:
    """The master key for the admin routes, the service key and a session for the client routes."""
    service = {"x-service-key": fuzzed_host.service_key}
    with fuzzed_host.client(key=None) as http:
        opened = http.post("/api/sessions", json={"channel": "chat", "customer_id": "cust-00000"},
                           headers=service).json()
    return {"x-functions-key": fuzzed_host.keys.master_key, **service, "x-session-id": opened["session_id"],
            "x-session-token": opened["token"]}


def api_schema() -> schemathesis.BaseSchema:
    from blueprints.openapi import document

    config = schemathesis.Config.from_dict({
        "seed": 20261201,
        "request-timeout": 30,
        "generation": {"max-examples": EXAMPLES, "deterministic": True},
        "phases": {"stateful": {"enabled": False}},
    })
    loaded = schemathesis.openapi.from_dict(document(), config=config).include(path_regex=FUZZED)
    for method, path in DESTRUCTIVE:
        loaded = loaded.exclude(method=method, path=path)
    return loaded


# Loaded at collection (schemathesis' lazy fixture loader does not run on pytest 9); the host comes later.
schema = api_schema()


@schema.parametrize()
# No example database: each run is the same fixed-seed run; a loaded machine is slow, not wrong.
@settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_documented_contract(case: schemathesis.Case, fuzzed_host: HostProcess,
                                               credentials: dict[str, str]) -> None:
    case.call_and_validate(base_url=fuzzed_host.base_url, headers=credentials, checks=CHECKS)
