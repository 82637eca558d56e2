"""Shared fixtures: the real local stack and hosts running the probe app or the product app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hosting import HostProcess


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Azurite and the Cosmos stand-in on free ports, for the whole run."""
    from local.stack import Stack

    running = Stack(tmp_path_factory.mktemp("stack"))
    endpoints = running.up(prefer_standard_ports=False)
    yield endpoints
    running.down()


def read_log(directory: Path, kind: str) -> list[dict]:
    path = directory / f"{kind}.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def probe_host(tmp_path_factory: pytest.TempPathFactory, stack: object) -> Iterator[HostProcess]:
    """The probe app on its own host; side effects land in `host.output`."""
    workdir = tmp_path_factory.mktemp("probe")
    output = workdir / "output"
    output.mkdir()
    host = HostProcess("tests.apps.probe_app:app", workdir,
                       env={"PROBE_OUTPUT_DIR": str(output), **stack.as_settings()})  # type: ignore[attr-defined]
    host.output = output  # type: ignore[attr-defined]
    host.start()
    yield host
    host.stop()
