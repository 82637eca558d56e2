"""Queue triggers on real Azurite queues: base64 bodies, QueueMessage fields, retries and the poison queue."""

from __future__ import annotations

import base64
import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import QueueClient

from local.stack import Endpoints
from tests.hosting import ROOT, HostProcess, wait_for

QUEUE = "work-items"  # tests/apps/queue_app: maxDequeueCount 3, visibilityTimeout 0, batchSize 4


class QueueHost(HostProcess):
    def __init__(self, workdir: Path, settings: dict[str, str]) -> None:
        self.output = workdir / "output"
        self.output.mkdir(parents=True, exist_ok=True)
        super().__init__(None, workdir, app_root=ROOT / "tests/apps/queue_app",
                         env={**settings, "PROBE_OUTPUT_DIR": str(self.output)})

    def deliveries(self, body: str) -> list[dict]:
        path = self.output / "deliveries.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [d for d in map(json.loads, lines) if d["body"] == body]


def queue(stack: Endpoints, name: str) -> QueueClient:
    client = QueueClient.from_connection_string(stack.storage_connection_string, name)
    with contextlib.suppress(ResourceExistsError):
        client.create_queue()
    return client


def send(client: QueueClient, body: str) -> None:
    """As Azure Functions expects by default: the body base64-encoded."""
    client.send_message(base64.b64encode(body.encode()).decode())


def poisoned(stack: Endpoints) -> list[str]:
    return [m.content for m in queue(stack, f"{QUEUE}-poison").peek_messages(max_messages=32)]


@pytest.fixture(scope="module")
def queue_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[QueueHost]:
    queue(stack, QUEUE)
    host = QueueHost(tmp_path_factory.mktemp("queues"), stack.as_settings())
    host.start()
    yield host
    host.stop()


def test_messages_are_processed_once_each_with_the_worker_fields(queue_host: QueueHost, stack: Endpoints) -> None:
    client = queue(stack, QUEUE)
    bodies = [f"order {uuid.uuid4().hex} é" for _ in range(6)]  # more than one batch of 4
    for body in bodies:
        send(client, body)
    for body in bodies:
        wait_for(lambda b=body: queue_host.deliveries(b))
    time.sleep(1.0)
    for body in bodies:
        (delivery,) = queue_host.deliveries(body)
        assert delivery["dequeue_count"] == 1
        assert delivery["pop_receipt"] and delivery["id"]
        assert delivery["inserted"] < delivery["next_visible"] and delivery["inserted"] < delivery["expires"]
    wait_for(lambda: not client.peek_messages(max_messages=32))  # each deleted after its success
    lines = [line for line in queue_host.log_tail(50000).splitlines() if "function=work trigger=queueTrigger" in line]
    assert len(lines) >= 6 and all("outcome=ok" in line for line in lines)


def test_a_failing_message_goes_to_the_poison_queue_after_max_dequeue_count(queue_host: QueueHost,
                                                                             stack: Endpoints) -> None:
    body = f"fail {uuid.uuid4().hex}"
    send(queue(stack, QUEUE), body)
    encoded = base64.b64encode(body.encode()).decode()
    wait_for(lambda: encoded in poisoned(stack), timeout_seconds=20)
    assert [d["dequeue_count"] for d in queue_host.deliveries(body)] == [1, 2, 3]
    time.sleep(1.0)
    assert len(queue_host.deliveries(body)) == 3
    # The host logs the move once it is done: the poison queue may show the message a moment before.
    wait_for(lambda: "moved to work-items-poison: its function failed 3 times" in queue_host.log_tail(50000), 10)


def test_a_body_that_is_not_base64_is_poisoned_without_running(queue_host: QueueHost, stack: Endpoints) -> None:
    raw = f"plain text {uuid.uuid4().hex}!"
    queue(stack, QUEUE).send_message(raw)
    wait_for(lambda: raw in poisoned(stack), timeout_seconds=20)
    assert not queue_host.deliveries(raw)
    wait_for(lambda: "its body is not base64" in queue_host.log_tail(50000), 10)


def test_queue_output_bindings_write_base64_messages(queue_host: QueueHost, stack: Endpoints) -> None:
    body = f"via http {uuid.uuid4().hex}"
    with queue_host.client(key=None) as http:
        assert http.post("/api/enqueue", content=body.encode()).status_code == 202
    (delivery,) = wait_for(lambda: queue_host.deliveries(body))  # the output reached the trigger's queue
    assert delivery["dequeue_count"] == 1
    answer = base64.b64encode(f"done: {body}".encode()).decode()
    done = QueueClient.from_connection_string(stack.storage_connection_string, "work-done")  # the host made it
    wait_for(lambda: answer in [m.content for m in done.peek_messages(max_messages=32)])
