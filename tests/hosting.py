"""Runs the local host as a real process for tests, on a free port with its own state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from local.host.config import HostKeys
from local.private import open_private_log
from local.settings_file import ensure

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class HostProcess:
    app: str | None  # module[:attribute]; None finds the app in app_root's function_app.py
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    max_body_bytes: int = 1024 * 1024
    port: int = 0  # 0: a free one; a restart may keep the last one, as a public URL stays the same
    app_root: Path = ROOT
    process: subprocess.Popen[bytes] | None = None
    base_url: str = ""

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        settings = ensure(ROOT / "local.settings.sample.json", self.settings_path)
        self.keys = HostKeys(settings["Host"]["FunctionKey"], settings["Host"]["MasterKey"])
        self.service_key = settings["Values"]["SERVICE_KEY"]

    @property
    def settings_path(self) -> Path:
        return self.workdir / "local.settings.json"

    @property
    def state_file(self) -> Path:
        return self.workdir / "host" / "host.state.json"

    def start(self, timeout_seconds: float = 30.0) -> HostProcess:
        self.state_file.unlink(missing_ok=True)
        command = [sys.executable, "-m", "local.host", *(["--app", self.app] if self.app else []),
                   "--app-root", str(self.app_root), "--settings", str(self.settings_path), "--port", str(self.port),
                   "--data-dir", str(self.workdir / "host"), "--max-body-bytes", str(self.max_body_bytes),
                   "--blob-poll-seconds", "0.2"]
        with open_private_log(self.log_path) as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, **self.env})
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"host exited: {self.log_tail()}")
            if self.state_file.exists():
                self.base_url = json.loads(self.state_file.read_text())["base_url"]
                try:
                    if httpx.get(f"{self.base_url}/admin/host/ping").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"host not ready in {timeout_seconds} s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def log_path(self) -> Path:
        return self.workdir / "host.log"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def client(self, key: str | None = "function") -> httpx.Client:
        """A client holding one key: a host key (function, master, system) or the app's service key."""
        headers = {}
        if key == "service":
            headers["x-service-key"] = self.service_key
        elif key:
            headers["x-functions-key"] = {"function": self.keys.function_key, "master": self.keys.master_key,
                                          "system": self.keys.system_key}[key]
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def admin(self) -> httpx.Client:
        """A client for the admin routes, which take the master key."""
        return self.client("master")


def wait_for(predicate, timeout_seconds: float = 15.0, interval: float = 0.05):
    """Polls until `predicate()` is truthy; returns its value or fails with the last one."""
    deadline = time.monotonic() + timeout_seconds
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    assert value, f"condition not met within {timeout_seconds} s"
    return value


class ProbeHost(HostProcess):
    """The probe app (tests/apps/probe_app.py), whose side effects land in `output`."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.output = workdir / "output"
        self.output.mkdir(parents=True, exist_ok=True)
        super().__init__("tests.apps.probe_app:app", workdir, env={"PROBE_OUTPUT_DIR": str(self.output), **(env or {})})

    def records(self, kind: str) -> list[dict]:
        path = self.output / f"{kind}.log"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def generate_company(host: HostProcess, spec: dict, timeout_seconds: float = 60) -> dict:
    """Replaces the host's company with a freshly generated one; returns the run's final status."""
    with host.admin() as http:
        http.delete("/api/admin/company")
        started = http.post("/api/admin/synthetic", json=spec)
        assert started.status_code == 202, started.text
        run_id = started.json()["id"]
        return wait_for(lambda: (s := http.get(f"/api/admin/synthetic/{run_id}").json())["runtimeStatus"]
                        in {"Completed", "Failed"} and s, timeout_seconds)


def product_host(workdir: Path, settings: dict[str, str], **env: str) -> HostProcess:
    """The product app on its own Cosmos database and data folder, on the given stack's settings."""
    return HostProcess("function_app:app", workdir, env={
        **settings, "COSMOS_DATABASE": f"{workdir.name[:20]}-{uuid.uuid4().hex[:8]}", "LOCAL_DATA_DIR": str(workdir),
        **env})
