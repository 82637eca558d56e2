"""The offline stand-ins for Azure Storage (Azurite), Cosmos DB and a mail server, on loopback ports.

`Stack(dir).up()` starts what is not running, waits until each service answers and records
PIDs and ports in `dir/stack.json`; `down()` stops only those PIDs. The product reaches the
services through the same SDK code and settings it uses against Azure.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from local import processes
from local.private import private_dir

NODE_DIR = Path(__file__).resolve().parent / "node"
AZURITE_BIN = NODE_DIR / "node_modules/azurite/dist/src/azurite.js"
COSMOS_BIN = NODE_DIR / "cosmos-server.js"
# Public, documented development credentials of the emulators.
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
COSMOS_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
STANDARD_PORTS = {"blob": 10000, "queue": 10001, "table": 10002, "cosmos": 8081, "smtp": 2525}
SMTP_MARKER = "local.smtp"  # python -m local.smtp
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Endpoints:
    blob_port: int
    queue_port: int
    table_port: int
    cosmos_port: int
    smtp_port: int

    @property
    def storage_connection_string(self) -> str:
        base = f"http://127.0.0.1:{{}}/{AZURITE_ACCOUNT}"
        return (
            f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
            f"BlobEndpoint={base.format(self.blob_port)};QueueEndpoint={base.format(self.queue_port)};"
            f"TableEndpoint={base.format(self.table_port)};"
        )

    @property
    def cosmos_endpoint(self) -> str:
        return f"https://127.0.0.1:{self.cosmos_port}/"

    @property
    def cosmos_key(self) -> str:
        return COSMOS_KEY

    def as_settings(self) -> dict[str, str]:
        """The app settings that point the product at this stack."""
        return {
            "AzureWebJobsStorage": self.storage_connection_string,
            "COSMOS_ENDPOINT": self.cosmos_endpoint,
            "COSMOS_KEY": self.cosmos_key,
            "COSMOS_VERIFY_TLS": "false",  # the stand-in's certificate is self-signed and expired
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
        }


class Stack:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.state_file = self.data_dir / "stack.json"

    @classmethod
    def running(cls, data_dir: Path) -> Endpoints | None:
        stack = cls(data_dir)
        state = stack._state()
        if state and all(processes.is_ours(pid, marker) for pid, marker in stack._markers(state)):
            return Endpoints(**state["endpoints"])
        return None

    def up(self, prefer_standard_ports: bool = True, timeout_seconds: float = 30.0) -> Endpoints:
        """Starts the services unless this stack already runs; idempotent."""
        alive = self.running(self.data_dir)
        if alive:
            return alive
        self.down()  # whatever half of a previous stack survived
        if not AZURITE_BIN.exists():
            raise FileNotFoundError(f"{AZURITE_BIN} is missing: run `make setup` to install the stand-ins")
        ports = {name: _free_port(port if prefer_standard_ports else 0) for name, port in STANDARD_PORTS.items()}
        endpoints = Endpoints(ports["blob"], ports["queue"], ports["table"], ports["cosmos"], ports["smtp"])
        private_dir(self.data_dir)  # it holds the logs
        azurite = processes.start(
            ["node", str(AZURITE_BIN), "--location", str(self.data_dir / "azurite"),
             "--blobHost", "127.0.0.1", "--blobPort", str(ports["blob"]),
             "--queueHost", "127.0.0.1", "--queuePort", str(ports["queue"]),
             "--tableHost", "127.0.0.1", "--tablePort", str(ports["table"]),
             # The current SDKs send API versions Azurite 3.35 does not know yet.
             "--skipApiVersionCheck", "--disableTelemetry", "--loose"],
            self.data_dir / "azurite.log",
        )
        cosmos = processes.start(["node", str(COSMOS_BIN), str(ports["cosmos"])], self.data_dir / "cosmos.log",
                                 cwd=NODE_DIR)
        # Stores what it receives in Azurite's outbox container.
        smtp = processes.start([sys.executable, "-m", SMTP_MARKER, "--port", str(ports["smtp"])],
                               self.data_dir / "smtp.log", cwd=ROOT,
                               env={**os.environ, "AzureWebJobsStorage": endpoints.storage_connection_string})
        state = {"endpoints": asdict(endpoints), "azurite_pid": azurite.pid, "cosmos_pid": cosmos.pid,
                 "smtp_pid": smtp.pid}
        self.state_file.write_text(json.dumps(state, indent=2))
        for service, port in ports.items():
            log = {"cosmos": "cosmos.log", "smtp": "smtp.log"}.get(service, "azurite.log")
            _wait_for_port(port, timeout_seconds, f"{service} (see {self.data_dir / log})")
        return endpoints

    def down(self) -> None:
        state = self._state()
        if state:
            for pid, marker in self._markers(state):
                processes.stop(pid, marker)
        self.state_file.unlink(missing_ok=True)

    def _state(self) -> dict | None:
        return json.loads(self.state_file.read_text()) if self.state_file.is_file() else None

    @staticmethod
    def _markers(state: dict) -> list[tuple[int, str]]:
        return [(state["azurite_pid"], AZURITE_BIN.name), (state["cosmos_pid"], COSMOS_BIN.name),
                (state.get("smtp_pid", 0), SMTP_MARKER)]


def _free_port(preferred: int) -> int:
    """The preferred port when it is free, else one the kernel picks."""
    for candidate in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("no free loopback port")


def _wait_for_port(port: int, timeout_seconds: float, what: str) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not listen on 127.0.0.1:{port} within {timeout_seconds:g} s")
