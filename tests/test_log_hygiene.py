"""No key or token in any log line; settings and logs readable by their owner only."""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path

from azure.storage.blob import BlobServiceClient

from local import processes
from local.settings_file import ensure
from local.stack import Endpoints
from local.up import down, up
from tests.hosting import ROOT, ProbeHost, wait_for


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_key_or_token_reaches_the_host_log(probe_host: ProbeHost, stack: Endpoints) -> None:
    # The blob trigger's event source calls the host's webhook with the system key in `code=`.
    service = BlobServiceClient.from_connection_string(stack.storage_connection_string)
    container = service.get_container_client("uploads")
    if not container.exists():
        container.create_container()
    name = f"hygiene-{uuid.uuid4().hex}.txt"
    container.upload_blob(name, b"x")
    wait_for(lambda: any(r["name"] == f"uploads/{name}" for r in probe_host.records("blobs")))
    token, service_key = f"token-{uuid.uuid4().hex}", f"service-{uuid.uuid4().hex}"
    with probe_host.client(key=None) as http:
        answer = http.get("/api/public/log-request", params={"code": probe_host.keys.function_key},
                          headers={"x-functions-key": probe_host.keys.master_key, "x-session-token": token,
                                   "x-service-key": service_key})
    assert answer.text == "logged"
    log = wait_for(lambda: (text := probe_host.log_tail(500000)).count("code=***") >= 2 and text)
    for secret in (probe_host.keys.function_key, probe_host.keys.master_key, probe_host.keys.system_key,
                   token, service_key):
        assert secret not in log
    assert "x-session-token: ***" in log
    assert mode(probe_host.workdir / "host") == 0o700  # the data dir the host made for itself


def test_local_settings_are_private_and_get_a_service_key(tmp_path: Path) -> None:
    target = tmp_path / "local.settings.json"
    created = ensure(ROOT / "local.settings.sample.json", target)
    assert mode(target) == 0o600
    assert len(created["Values"]["SERVICE_KEY"]) >= 40
    assert created["Values"]["SERVICE_KEY"] not in {created["Host"]["FunctionKey"], created["Host"]["MasterKey"]}
    target.write_text(json.dumps({"Values": {"SERVICE_KEY": "kept-as-it-is"}, "Host": {"MasterKey": "m" * 20}}))
    target.chmod(0o644)  # as an older version left it
    again = ensure(ROOT / "local.settings.sample.json", target)
    assert (again["Values"]["SERVICE_KEY"], again["Host"]["MasterKey"]) == ("kept-as-it-is", "m" * 20)
    assert again["Host"]["FunctionKey"]
    assert mode(target) == 0o600


def test_process_logs_are_private_and_so_are_the_folders_made_for_them(tmp_path: Path) -> None:
    before = mode(tmp_path)
    log = tmp_path / "new" / "deeper" / "service.log"
    processes.start(["true"], log).wait(10)
    assert mode(log) == 0o600
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(tmp_path) == before  # a folder that was there stays as it was
    old = tmp_path / "old.log"
    old.write_text("from before\n")
    old.chmod(0o644)
    processes.start(["true"], old).wait(10)
    assert mode(old) == 0o600


def test_make_up_writes_host_and_stack_logs_only_its_owner_can_read(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "host").mkdir(parents=True, mode=0o755)  # as an older version left it
    try:
        up(ROOT, state_dir=state, port=0)
    finally:
        down(ROOT, state_dir=state)
    for log in ("host/host.log", "stack/azurite.log", "stack/cosmos.log"):
        assert mode(state / log) == 0o600, log
    assert mode(state / "host") == mode(state / "stack") == 0o700
    settings = json.loads((ROOT / "local.settings.json").read_text())
    assert settings["Host"]["MasterKey"] not in (state / "host/host.log").read_text()
