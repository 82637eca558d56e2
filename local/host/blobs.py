"""Blob triggers fed by Event Grid, as Flex Consumption runs them.

`BlobTriggers` is the host side: the /runtime/webhooks/blobs endpoint turns a BlobCreated event
into an `InputStream` and keeps a receipt per blob version, so each version runs the function
once however often the event arrives. `BlobEventSource` stands in for the storage account's
Event Grid topic, which Azurite lacks: it lists the watched containers and posts BlobCreated
events to that endpoint.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import os
import re
import uuid
from typing import Any
from urllib.parse import unquote

import httpx
from azure.core import MatchConditions
from azure.core.exceptions import ResourceNotFoundError
from azure.functions import meta

from local.host.durable.history import iso, utc_now
from local.host.durable.store import DurableStore
from local.host.functions import FunctionIndex, FunctionInfo
from local.host.invoke import Invoker
from local.host.web import HostHttpError

log = logging.getLogger("host.blobs")
BLOB_CREATED = "Microsoft.Storage.BlobCreated"
# Then a blob version is given up on, as the real host moves it to its poison queue.
MAX_DELIVERIES = 5
SUBJECT = re.compile(r"^/blobServices/default/containers/(?P<container>[^/]+)/blobs/(?P<blob>.+)$")
# What a blob name may hold here: no control characters, no `.` or `..` segment (the URL would change).
UNUSABLE_NAME = re.compile(r"[\x00-\x1f\x7f]|(?:^|/)\.{1,2}(?:/|$)")


def watched_path(info: FunctionInfo) -> tuple[str, str]:
    """(container, blob name pattern) of a trigger path like `documents/{name}`."""
    container, _, pattern = str(info.trigger["path"]).partition("/")
    return container, re.sub(r"\{[^}]+\}", "*", pattern or "*")


class BlobClients:
    """One async BlobServiceClient per connection setting, opened on first use."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def get(self, connection: str) -> Any:
        from azure.storage.blob.aio import BlobServiceClient

        if connection not in self._clients:
            value = os.environ.get(connection)
            if not value:
                raise HostHttpError(500, f"app setting {connection!r} (the trigger's connection) is not set")
            self._clients[connection] = BlobServiceClient.from_connection_string(value)
        return self._clients[connection]

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()


class BlobTriggers:
    def __init__(self, store: DurableStore, invoker: Invoker, clients: BlobClients) -> None:
        self._store = store
        self._invoker = invoker
        self._clients = clients
        self._running: set[tuple[str, str, str]] = set()

    async def deliver(self, info: FunctionInfo, item: dict[str, Any]) -> str:
        """Runs the trigger for one event; returns what happened, for the response."""
        if item.get("eventType", item.get("type")) != BLOB_CREATED:
            return "ignored: not a BlobCreated event"
        subject = item.get("subject")
        found = SUBJECT.match(subject) if isinstance(subject, str) else None
        if not found:
            raise HostHttpError(400, f"BlobCreated subject {subject!r} names no container and blob")
        container, blob = found["container"], unquote(found["blob"])
        if UNUSABLE_NAME.search(blob):
            raise HostHttpError(400, f"BlobCreated subject names the blob {blob!r}, which no upload can have")
        watched_container, pattern = watched_path(info)
        if container != watched_container or not fnmatch.fnmatchcase(blob, pattern):
            return f"ignored: {container}/{blob} is not under {info.trigger['path']}"
        client = self._clients.get(info.trigger.get("connection") or "AzureWebJobsStorage")
        blob_client = client.get_blob_client(container, blob)
        try:
            properties = await blob_client.get_blob_properties()
        except ResourceNotFoundError as error:  # deleted since, or never there
            raise HostHttpError(404, f"no blob {container}/{blob}") from error
        key = (info.name, f"{container}/{blob}", str(properties.etag))
        if key in self._running or self._store.has_receipt(*key):
            return "skipped: this blob version was already processed"
        self._running.add(key)
        try:
            # This very version: a newer upload meanwhile gets its own event.
            data = await (await blob_client.download_blob(etag=properties.etag,
                                                          match_condition=MatchConditions.IfNotModified)).readall()
            metadata = {
                "BlobTrigger": meta.Datum(f"{container}/{blob}", "string"),
                "Uri": meta.Datum(blob_client.url, "string"),
                "Properties": meta.Datum(json.dumps({
                    "ContentLength": properties.size,
                    "ContentType": properties.content_settings.content_type,
                    "ETag": properties.etag,
                }), "json"),
                "Metadata": meta.Datum(json.dumps(properties.metadata or {}), "json"),
            }
            converter = meta.get_binding_registry().get("blobTrigger")
            stream = converter.decode(meta.Datum(data, "bytes"), trigger_metadata=metadata)
            await self._invoker.call(info, stream)
            with self._store.transaction() as db:
                self._store.add_receipt(db, *key)
            return "processed"
        finally:
            self._running.discard(key)


class BlobEventSource:
    def __init__(self, index: FunctionIndex, clients: BlobClients, store: DurableStore, *,
                 webhook: str, system_key: str, interval_seconds: float = 0.5) -> None:
        self._triggers = [i for i in index.by_name.values() if i.trigger_type == "blobTrigger"]
        self._clients = clients
        self._store = store
        self._webhook = webhook
        self._key = system_key
        self._interval = interval_seconds
        self._published: dict[tuple[str, str], str] = {}
        self._failures: dict[tuple[str, str, str], int] = {}

    async def run(self) -> None:
        if not self._triggers:
            return
        async with httpx.AsyncClient(timeout=None) as http:
            while True:
                for info in self._triggers:
                    try:
                        await self._publish_new(http, info)
                    except Exception as error:  # storage restarting: try again next round
                        log.warning("blob events for %s: %s", info.name, error)
                await asyncio.sleep(self._interval)

    async def _publish_new(self, http: httpx.AsyncClient, info: FunctionInfo) -> None:
        container, pattern = watched_path(info)
        client = self._clients.get(info.trigger.get("connection") or "AzureWebJobsStorage")
        container_client = client.get_container_client(container)
        if not await container_client.exists():
            return
        async for blob in container_client.list_blobs():
            etag = str(blob.etag)
            seen = self._published.get((info.name, blob.name))
            if seen == etag or not fnmatch.fnmatchcase(blob.name, pattern):
                continue
            if self._store.has_receipt(info.name, f"{container}/{blob.name}", etag):
                self._published[(info.name, blob.name)] = etag
                continue
            response = await http.post(
                self._webhook,
                params={"functionName": f"Host.Functions.{info.name}", "code": self._key},
                json=[self._created_event(container_client.url, container, blob)],
            )
            if response.status_code < 300:
                self._published[(info.name, blob.name)] = etag
                continue
            failures = self._failures[(info.name, blob.name, etag)] = self._failures.get(
                (info.name, blob.name, etag), 0) + 1
            if failures >= MAX_DELIVERIES:
                log.error("giving up on %s/%s for %s after %d failed deliveries", container, blob.name,
                          info.name, failures)
                self._published[(info.name, blob.name)] = etag

    @staticmethod
    def _created_event(container_url: str, container: str, blob: Any) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "topic": "/subscriptions/local/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/local",
            "subject": f"/blobServices/default/containers/{container}/blobs/{blob.name}",
            "eventType": BLOB_CREATED,
            "eventTime": iso(utc_now()),
            "dataVersion": "",
            "metadataVersion": "1",
            "data": {
                "api": "PutBlob",
                "eTag": str(blob.etag),
                "contentType": blob.content_settings.content_type,
                "contentLength": blob.size,
                "blobType": "BlockBlob",
                "url": f"{container_url}/{blob.name}",
                "sequencer": f"{int(blob.last_modified.timestamp() * 1e6):032d}",
            },
        }
