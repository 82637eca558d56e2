"""Stacks started at the same moment on one machine never share a port, so never each other's data."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from azure.cosmos import CosmosClient
from azure.storage.blob import BlobServiceClient

from local.stack import SERVICES, Endpoints, Stack
from local.stack.listeners import free_ports, listens_on

STACKS, ROUNDS = 3, 4


@pytest.fixture
def new_stacks(tmp_path: Path) -> Iterator[Callable[[str], list[Stack]]]:
    """Makes STACKS stacks with empty folders of their own; all are stopped at the end."""
    made: list[Stack] = []

    def make(label: str) -> list[Stack]:
        made.extend(Stack(tmp_path / label / f"stack{n}") for n in range(STACKS))
        return made[-STACKS:]

    yield make
    for stack in made:
        stack.down()


def start_together(stacks: list[Stack], preferred_ports: Mapping[str, int] | None = None,
                   stagger_seconds: float = 0.0) -> list[Endpoints]:
    def start(n: int) -> Endpoints:
        time.sleep(n * stagger_seconds)
        return stacks[n].up(prefer_standard_ports=False, preferred_ports=preferred_ports)

    with ThreadPoolExecutor(len(stacks)) as pool:
        return list(pool.map(start, range(len(stacks))))


def assert_each_serves_only_itself(stacks: list[Stack], endpoints: list[Endpoints]) -> None:
    ports = [port for e in endpoints for port in (e.blob_port, e.queue_port, e.table_port, e.cosmos_port)]
    assert len(set(ports)) == len(ports)
    for stack, own in zip(stacks, endpoints, strict=True):
        state = stack._state()
        assert state is not None
        for service in SERVICES:
            for name in service.ports:
                assert listens_on(state[f"{service.name}_pid"], getattr(own, f"{name}_port"))
    for n, own in enumerate(endpoints):  # a mark in each, seen only by its own clients
        BlobServiceClient.from_connection_string(own.storage_connection_string).create_container(f"stack{n}")
        cosmos(own).create_database(f"stack{n}")
    for n, own in enumerate(endpoints):
        containers = BlobServiceClient.from_connection_string(own.storage_connection_string).list_containers()
        assert [c.name for c in containers] == [f"stack{n}"]
        assert [d["id"] for d in cosmos(own).list_databases()] == [f"stack{n}"]


def cosmos(endpoints: Endpoints) -> CosmosClient:
    return CosmosClient(endpoints.cosmos_endpoint, credential=endpoints.cosmos_key, connection_verify=False)


def test_stacks_started_together_on_free_ports_stay_apart(new_stacks: Callable[[str], list[Stack]]) -> None:
    for round_ in range(ROUNDS):
        stacks = new_stacks(f"round{round_}")
        assert_each_serves_only_itself(stacks, start_together(stacks))
        for stack in stacks:
            stack.down()


def test_stacks_preferring_the_same_ports_move_apart(new_stacks: Callable[[str], list[Stack]]) -> None:
    """All want the same ports, as stacks on the standard ports do: one wins each, the others move."""
    stacks = new_stacks("same")
    wanted = dict(zip(("blob", "queue", "table", "cosmos"), free_ports([0, 0, 0, 0]), strict=True))
    # 50 ms apart: each finds the ports still free, and its services start binding them after the others'.
    endpoints = start_together(stacks, preferred_ports=wanted, stagger_seconds=0.05)
    assert_each_serves_only_itself(stacks, endpoints)
    logs = [(stack.data_dir / service.log).read_text() for stack in stacks for service in SERVICES]
    assert any("EADDRINUSE" in log for log in logs)  # some service did lose a port and moved


def test_a_listener_belongs_to_the_process_holding_its_socket() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        assert not listens_on(os.getpid(), port)  # bound is not listening
        server.listen()
        assert listens_on(os.getpid(), port)
        assert not listens_on(os.getppid(), port)
