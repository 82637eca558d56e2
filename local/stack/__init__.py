"""The offline stand-ins for Azure Storage (Azurite), Cosmos DB and a mail server, on loopback ports.

`Stack(dir).up()` starts what is not running, waits until each service's own process listens on
its ports and answers, and records PIDs and ports in `dir/stack.json`; `down()` stops only those
PIDs. A port found free can be taken by another stack starting at the same moment: the service
that loses it exits and starts again on ports the kernel picks, so two stacks never share a port.
Both keep their data under `dir` (Azurite's files, the Cosmos stand-in's journal): a stop or a
crash loses nothing acknowledged. The product reaches the services through the same SDK code and
settings it uses against Azure.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from local import processes
from local.private import private_dir
from local.stack.listeners import free_ports, listens_on

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
# How often a service may lose its ports to another process before the stack gives up.
PORT_ATTEMPTS = 5


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


def _azurite_command(ports: Mapping[str, int], data_dir: Path) -> list[str]:
    return ["node", str(AZURITE_BIN), "--location", str(data_dir / "azurite"),
            "--blobHost", "127.0.0.1", "--blobPort", str(ports["blob"]),
            "--queueHost", "127.0.0.1", "--queuePort", str(ports["queue"]),
            "--tableHost", "127.0.0.1", "--tablePort", str(ports["table"]),
            # The current SDKs send API versions Azurite 3.35 does not know yet.
            "--skipApiVersionCheck", "--disableTelemetry", "--loose"]


def _cosmos_command(ports: Mapping[str, int], data_dir: Path) -> list[str]:
    return ["node", str(COSMOS_BIN), str(ports["cosmos"]), str(data_dir / "cosmos")]


def _smtp_command(ports: Mapping[str, int], data_dir: Path) -> list[str]:
    return [sys.executable, "-m", SMTP_MARKER, "--port", str(ports["smtp"])]


def _smtp_env(ports: Mapping[str, int]) -> dict[str, str]:
    """It stores what it receives in Azurite's outbox container."""
    storage = Endpoints(ports["blob"], ports["queue"], ports["table"], 0, ports["smtp"]).storage_connection_string
    return {**os.environ, "AzureWebJobsStorage": storage}


def _answers_https(port: int) -> bool:
    """The Cosmos stand-in rebuilds its data from its journal before it answers."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # its certificate is self-signed
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


@dataclass(frozen=True)
class Service:
    name: str
    ports: tuple[str, ...]  # the Endpoints ports it serves
    program: Path  # its name in the command line tells our process from a reused PID
    command: Callable[[Mapping[str, int], Path], list[str]]
    answers: Callable[[int], bool] | None = None  # ready once listening unless given
    env: Callable[[Mapping[str, int]], dict[str, str]] | None = None  # of all the stack's ports
    cwd: Path = NODE_DIR

    @property
    def log(self) -> str:
        return f"{self.name}.log"


SERVICES = (
    Service("azurite", ("blob", "queue", "table"), AZURITE_BIN, _azurite_command),
    Service("cosmos", ("cosmos",), COSMOS_BIN, _cosmos_command, _answers_https),
    Service("smtp", ("smtp",), Path(SMTP_MARKER), _smtp_command, env=_smtp_env, cwd=ROOT),  # after Azurite
)


@dataclass(frozen=True)
class _Launch:
    service: Service
    ports: dict[str, int]
    process: subprocess.Popen[bytes]
    log_offset: int  # where its output starts in the log


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

    def up(self, prefer_standard_ports: bool = True, timeout_seconds: float = 30.0,
           preferred_ports: Mapping[str, int] | None = None) -> Endpoints:
        """Starts the services unless this stack already runs; idempotent.

        Each service first tries `preferred_ports` (default: the standard emulator ports, unless
        `prefer_standard_ports` is false), then ports the kernel picks.
        """
        alive = self.running(self.data_dir)
        if alive:
            return alive
        self.down()  # whatever half of a previous stack survived
        if not AZURITE_BIN.exists():
            raise FileNotFoundError(f"{AZURITE_BIN} is missing: run `make setup` to install the stand-ins")
        private_dir(self.data_dir)  # it holds the logs
        preferred = preferred_ports if preferred_ports is not None else (
            STANDARD_PORTS if prefer_standard_ports else {})
        ports = dict(zip(STANDARD_PORTS, free_ports([preferred.get(name, 0) for name in STANDARD_PORTS]),
                         strict=True))
        launches: dict[str, _Launch] = {}
        deadline = time.monotonic() + timeout_seconds
        try:
            # Services that need others' ports (the mail server stores into Azurite) start once those are final.
            for wave in ([s for s in SERVICES if s.env is None], [s for s in SERVICES if s.env is not None]):
                launches |= {service.name: self._launch(service, {**ports, **self._ports(launches)})
                             for service in wave}
                endpoints = self._record(launches, ports)  # from now on down() can stop them, whatever happens
                for service in wave:
                    for _ in range(PORT_ATTEMPTS):
                        if self._serving(launches[service.name], deadline):
                            break
                        fresh = dict(zip(service.ports, free_ports([0] * len(service.ports)), strict=True))
                        launches[service.name] = self._launch(service, {**ports, **self._ports(launches), **fresh})
                        endpoints = self._record(launches, ports)
                    else:
                        raise RuntimeError(f"{service.name} lost its ports to other processes {PORT_ATTEMPTS} times")
        except BaseException:
            self.down()
            raise
        return endpoints

    def down(self) -> None:
        state = self._state()
        if state:
            for pid, marker in self._markers(state):
                processes.stop(pid, marker)
        self.state_file.unlink(missing_ok=True)

    def _launch(self, service: Service, ports: Mapping[str, int]) -> _Launch:
        log = self.data_dir / service.log
        offset = log.stat().st_size if log.exists() else 0
        process = processes.start(service.command(ports, self.data_dir), log, cwd=service.cwd,
                                  env=service.env(ports) if service.env else None)
        return _Launch(service, {name: ports[name] for name in service.ports}, process, offset)

    def _serving(self, launch: _Launch, deadline: float) -> bool:
        """True once the service's own process listens on all its ports and answers; False if it
        exited because one of them was taken."""
        service, pid = launch.service, launch.process.pid
        while time.monotonic() < deadline:
            if launch.process.poll() is not None:
                output = self._log_since(launch)
                if "EADDRINUSE" in output:
                    return False
                raise RuntimeError(f"{service.name} exited with {launch.process.returncode}:\n{output[-3000:]}")
            if all(listens_on(pid, port) for port in launch.ports.values()) and (
                    service.answers is None or all(service.answers(port) for port in launch.ports.values())):
                return True
            time.sleep(0.05)
        raise TimeoutError(f"{service.name} did not listen on 127.0.0.1:{sorted(launch.ports.values())} within "
                           f"the timeout (see {self.data_dir / service.log})")

    def _log_since(self, launch: _Launch) -> str:
        with (self.data_dir / launch.service.log).open("rb") as log:
            log.seek(launch.log_offset)
            return log.read().decode(errors="replace")

    @staticmethod
    def _ports(launches: Mapping[str, _Launch]) -> dict[str, int]:
        return {name: port for launch in launches.values() for name, port in launch.ports.items()}

    def _record(self, launches: Mapping[str, _Launch], planned: Mapping[str, int]) -> Endpoints:
        ports = {**planned, **self._ports(launches)}
        endpoints = Endpoints(ports["blob"], ports["queue"], ports["table"], ports["cosmos"], ports["smtp"])
        state = {"endpoints": asdict(endpoints), **{f"{name}_pid": launch.process.pid
                                                     for name, launch in launches.items()}}
        self.state_file.write_text(json.dumps(state, indent=2))
        return endpoints

    def _state(self) -> dict | None:
        return json.loads(self.state_file.read_text()) if self.state_file.is_file() else None

    @staticmethod
    def _markers(state: dict) -> list[tuple[int, str]]:
        return [(state[f"{service.name}_pid"], service.program.name) for service in SERVICES
                if f"{service.name}_pid" in state]
