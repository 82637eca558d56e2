"""Start-up: the app found as the worker finds it, mistakes named by file and field, unsupported functions skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from local.settings_file import ensure
from tests.hosting import ROOT, HostProcess

HTTP_APP = '''
import azure.functions as func

{name} = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@{name}.route(route="ping", methods=["GET"])
def ping(req: func.HttpRequest) -> str:
    return "pong from {name}"
'''


def app_root(tmp_path: Path, script: str = HTTP_APP.format(name="app"), host_json: str | None = '{"version": "2.0"}',
             script_name: str = "function_app.py") -> Path:
    root = tmp_path / "app"
    root.mkdir(parents=True)
    (root / script_name).write_text(script)
    if host_json is not None:
        (root / "host.json").write_text(host_json)
    ensure(ROOT / "local.settings.sample.json", root / "local.settings.json")
    return root


def start_failure(root: Path, *extra: str) -> str:
    """Runs the host, which must refuse to start; returns what it printed."""
    done = subprocess.run([sys.executable, "-m", "local.host", "--app-root", str(root), "--port", "0",
                           "--data-dir", str(root / "data"), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    return done.stderr


def test_an_app_object_with_any_name_is_found_without_the_app_flag(tmp_path: Path) -> None:
    root = app_root(tmp_path, HTTP_APP.format(name="voice_agents"))
    host = HostProcess(None, tmp_path / "run", app_root=root).start()
    try:
        assert httpx.get(f"{host.base_url}/api/ping").text == "pong from voice_agents"
    finally:
        host.stop()


def test_python_script_file_name_names_the_script(tmp_path: Path) -> None:
    root = app_root(tmp_path, script_name="main_app.py")
    host = HostProcess(None, tmp_path / "run", app_root=root, env={"PYTHON_SCRIPT_FILE_NAME": "main_app.py"}).start()
    try:
        assert httpx.get(f"{host.base_url}/api/ping").text == "pong from app"
    finally:
        host.stop()


def test_malformed_host_json_names_the_file_and_the_position(tmp_path: Path) -> None:
    error = start_failure(app_root(tmp_path, host_json='{"version": "2.0",\n  "functionTimeout": }'))
    assert "host.json: not valid JSON" in error and "line 2 column" in error
    assert "Traceback" not in error


def test_a_wrong_host_json_field_is_named(tmp_path: Path) -> None:
    error = start_failure(app_root(tmp_path, host_json='{"functionTimeout": "ten minutes"}'))
    assert "host.json: functionTimeout is 'ten minutes'" in error and "hh:mm:ss" in error
    error = start_failure(app_root(tmp_path / "b", host_json='{"extensions": {"queues": {"maxDequeueCount": "x"}}}'))
    assert "host.json: extensions.queues.maxDequeueCount is 'x'" in error


def test_malformed_local_settings_names_the_file_and_the_field(tmp_path: Path) -> None:
    root = app_root(tmp_path)
    (root / "local.settings.json").write_text('{"Values": {"A": "1",}}')
    error = start_failure(root)
    assert "local.settings.json: not valid JSON" in error and "line 1 column" in error
    assert "Traceback" not in error
    (root / "local.settings.json").write_text(json.dumps({"Values": ["A"], "Host": {}}))
    assert "local.settings.json: Values must be an object" in start_failure(root)
    (root / "local.settings.json").write_text(json.dumps({"Values": {}, "Host": {"FunctionKey": "k"}}))
    assert "local.settings.json: Host.MasterKey is empty or missing" in start_failure(root)


def test_an_app_that_fails_to_import_is_named_with_its_error(tmp_path: Path) -> None:
    root = app_root(tmp_path, "import azure.functions as func\nimport no_such_module_here\n")
    error = start_failure(root)
    assert f"{root / 'function_app.py'}: failed to import: ModuleNotFoundError" in error
    assert "no_such_module_here" in error


def test_a_script_without_a_function_app_is_named(tmp_path: Path) -> None:
    root = app_root(tmp_path, "import azure.functions as func\n\nbp = func.Blueprint()\n")
    assert f"{root / 'function_app.py'}: defines no function app" in start_failure(root)
    two = app_root(tmp_path / "two", "import azure.functions as func\n\nfirst = func.FunctionApp()\n"
                                      "second = func.FunctionApp()\n")
    assert "defines more than one function app: first, second" in start_failure(two)
    missing = app_root(tmp_path / "missing", script_name="other.py")
    assert f"{missing / 'function_app.py'} not found" in start_failure(missing)
    assert "has no attribute 'nope'" in start_failure(root, "--app", "function_app:nope")


def test_functions_the_host_cannot_run_are_named_and_the_rest_is_served(tmp_path: Path) -> None:
    host = HostProcess(None, tmp_path, app_root=ROOT / "tests/apps/unsupported_app").start()
    try:
        assert httpx.get(f"{host.base_url}/api/hello").text == "still served"
        assert httpx.get(f"{host.base_url}/api/with-blob").status_code == 404
        log = host.log_tail(20000)
    finally:
        host.stop()
    refused = [line for line in log.splitlines() if "not served:" in line]
    expected = {"on_order": "serviceBusTrigger", "on_change": "cosmosDBTrigger", "polled_blob": "blobTrigger",
                "http_with_blob": "of type blob ", "five_fields": "has 5 fields"}
    for function, reason in expected.items():
        (line,) = [line for line in refused if f"function {function} not served" in line]
        assert reason in line
    assert len(refused) == len(expected)
    assert "with 1 functions (5 not served)" in log
