"""The product app on the local host: health probe and the diagnostics orchestration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local.demo import run_diagnostics
from local.stack import Endpoints
from tests.hosting import HostProcess


@pytest.fixture(scope="module")
def product_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir: Path = tmp_path_factory.mktemp("product")
    host = HostProcess("function_app:app", workdir, env=stack.as_settings())
    yield host.start()
    host.stop()


def test_health_reports_each_dependency_and_the_mode(product_host: HostProcess) -> None:
    with product_host.client(key=None) as http:
        health = http.get("/api/health")
    body = health.json()
    assert health.status_code == 200
    assert body["mode"] == "offline"
    assert set(body["dependencies"]) == {"blob", "cosmos", "search", "voice", "llm", "web_search", "email"}
    assert body["dependencies"]["blob"]["status"] == "up"
    assert body["dependencies"]["cosmos"]["status"] == "up"
    assert body["dependencies"]["llm"]["status"] == "absent"
    assert body["dependencies"]["web_search"]["status"] == "up"
    assert body["dependencies"]["web_search"]["detail"].startswith("offline: ")
    assert body["dependencies"]["email"]["status"] == "up"
    assert body["dependencies"]["email"]["detail"].startswith("smtp at 127.0.0.1:")


def test_diagnostics_orchestration_checks_every_dependency_for_real(product_host: HostProcess) -> None:
    with product_host.admin() as http:
        status = run_diagnostics(http, timeout_seconds=60)
    assert status["runtimeStatus"] == "Completed"
    assert status["progress"]["done"] == status["progress"]["total"] == 7
    report = status["result"]["dependencies"]
    assert report["blob"]["detail"] == "blob write, read and delete succeeded"
    assert report["cosmos"]["status"] == "up"


def test_diagnostics_needs_the_master_key(product_host: HostProcess) -> None:
    for key in (None, "function"):
        with product_host.client(key=key) as http:
            assert http.post("/api/admin/diagnostics").status_code == 401


def test_a_dependency_that_is_down_is_reported_not_raised(tmp_path: Path, stack: Endpoints) -> None:
    dead_cosmos = {**stack.as_settings(), "COSMOS_ENDPOINT": "https://127.0.0.1:9/",
                   "DEPENDENCY_TIMEOUT_SECONDS": "2"}
    host = HostProcess("function_app:app", tmp_path, env=dead_cosmos).start()
    try:
        with host.client(key=None) as http:
            health = http.get("/api/health")
        assert health.status_code == 503
        cosmos = health.json()["dependencies"]["cosmos"]
        assert cosmos["status"] == "down"
        assert health.json()["dependencies"]["blob"]["status"] == "up"
    finally:
        host.stop()
