"""Shared fixtures: the real local stack and hosts running the probe app or the product app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.stack import Endpoints, Stack
from tests.hosting import ProbeHost


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    """Azurite and the Cosmos stand-in on free ports, for the whole run."""
    running = Stack(tmp_path_factory.mktemp("stack"))
    endpoints = running.up(prefer_standard_ports=False)
    yield endpoints
    running.down()


@pytest.fixture(scope="module")
def probe_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[ProbeHost]:
    """The probe app on a host shared by a test module."""
    host = ProbeHost(tmp_path_factory.mktemp("probe"), env=stack.as_settings())
    host.start()
    yield host
    host.stop()
