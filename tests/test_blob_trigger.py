"""Blob triggers fed by Event Grid: a blob written to Azurite runs the function once per version."""

from __future__ import annotations

import time
import uuid

from azure.storage.blob import BlobServiceClient, ContainerClient

from local.stack import Endpoints
from tests.hosting import ProbeHost, wait_for


def uploads(stack: Endpoints) -> ContainerClient:
    service = BlobServiceClient.from_connection_string(stack.storage_connection_string)
    container = service.get_container_client("uploads")
    if not container.exists():
        container.create_container()
    return container


def runs_for(host: ProbeHost, name: str) -> list[dict]:
    return [r for r in host.records("blobs") if r["name"] == f"uploads/{name}"]


def test_an_upload_fires_the_trigger_exactly_once(probe_host: ProbeHost, stack: Endpoints) -> None:
    container = uploads(stack)
    name = f"manual-{uuid.uuid4().hex}.txt"
    container.upload_blob(name, b"first version")
    first = wait_for(lambda: runs_for(probe_host, name))
    assert first == [{"name": f"uploads/{name}", "length": 13, "bytes": 13}]
    time.sleep(1.0)  # five more polling rounds: nothing new may fire
    assert len(runs_for(probe_host, name)) == 1

    # Event Grid delivers at least once: the same event again is skipped by the blob receipt.
    subject = f"/blobServices/default/containers/uploads/blobs/{name}"
    event = [{"id": str(uuid.uuid4()), "topic": "/local", "subject": subject,
              "eventType": "Microsoft.Storage.BlobCreated", "eventTime": "2026-11-25T02:00:00.0000000Z",
              "dataVersion": "", "data": {"url": f"{container.url}/{name}"}}]
    with probe_host.client("system") as http:
        again = http.post("/runtime/webhooks/blobs", params={"functionName": "Host.Functions.on_upload"}, json=event)
    assert again.status_code == 202
    assert again.json() == {"outcomes": ["skipped: this blob version was already processed"]}
    assert len(runs_for(probe_host, name)) == 1

    container.upload_blob(name, b"second, longer version", overwrite=True)
    wait_for(lambda: len(runs_for(probe_host, name)) == 2)
    assert runs_for(probe_host, name)[1]["length"] == 22


def test_a_blob_that_always_fails_is_given_up_after_five_deliveries(probe_host: ProbeHost, stack: Endpoints) -> None:
    container = uploads(stack)
    name = f"poison-{uuid.uuid4().hex}.txt"
    container.upload_blob(name, b"cannot be processed")
    attempts = lambda: [r for r in probe_host.records("poison") if r["name"] == f"uploads/{name}"]  # noqa: E731
    wait_for(lambda: len(attempts()) == 5)
    time.sleep(1.0)
    assert len(attempts()) == 5
    assert "giving up on uploads/" in probe_host.log_tail(100000)
