"""Queue triggers on Azure Storage queues (Azurite locally), as the Functions host runs them.

Each function polls its queue: up to `batchSize` messages at a time, the next batch fetched
once no more than `newBatchThreshold` are still running; an empty queue is polled less and
less often, up to `maxPollingInterval`. A message stays invisible while its function runs; a
success deletes it; a failure makes it visible again after `visibilityTimeout`, and the failure
of its `maxDequeueCount`-th delivery moves it to `<queue>-poison`. Bodies are base64 by default
(`messageEncoding`); one that does not decode goes to the poison queue at once, and so does one
dequeued more than `maxDequeueCount` times (its deliveries died with the host).

Queue output bindings (`@app.queue_output`) are written, encoded the same way, once their
function succeeds; the queue is created if it does not exist yet, as the extension does.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import os
from typing import Any

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.functions import meta

from local.host.config import QueueOptions
from local.host.functions import FunctionInfo
from local.host.invoke import Invoker
from local.host.timers import iso

log = logging.getLogger("host.queues")
MIN_POLL_SECONDS = 0.1
DEFAULT_CONNECTION = "AzureWebJobsStorage"


def decode_body(content: str, base64_encoded: bool) -> bytes:
    """The message's bytes; ValueError when base64 is expected and the text is not."""
    if not base64_encoded:
        return content.encode("utf-8")
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"not base64 ({error})") from None


def trigger_value(message: Any, body: bytes) -> Any:
    """The `func.QueueMessage` the Python worker builds, with the metadata the host sends."""
    try:
        datum = meta.Datum(body.decode("utf-8"), "string")
    except UnicodeDecodeError:
        datum = meta.Datum(body, "bytes")
    metadata = {
        "Id": meta.Datum(message.id, "string"),
        "DequeueCount": meta.Datum(message.dequeue_count, "int"),
        "InsertionTime": meta.Datum(iso(message.inserted_on), "string"),
        "ExpirationTime": meta.Datum(iso(message.expires_on), "string"),
        "NextVisibleTime": meta.Datum(iso(message.next_visible_on), "string"),
        "PopReceipt": meta.Datum(message.pop_receipt, "string"),
    }
    return meta.get_binding_registry().get("queueTrigger").decode(datum, trigger_metadata=metadata)


def encode_body(body: bytes, base64_encoded: bool) -> str:
    return base64.b64encode(body).decode() if base64_encoded else body.decode("utf-8")


class QueueServices:
    """One async QueueServiceClient per connection setting, opened on first use."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def get(self, binding: dict[str, Any]) -> Any:
        from azure.storage.queue.aio import QueueServiceClient

        connection = binding.get("connection") or DEFAULT_CONNECTION
        if connection not in self._clients:
            value = os.environ.get(connection)
            if not value:
                raise LookupError(f"app setting {connection} (the queue connection) is not set")
            self._clients[connection] = QueueServiceClient.from_connection_string(value)
        return self._clients[connection]

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()


class QueueOutputs:
    """Writes queue output bindings: a str, bytes, a QueueMessage, or a list of str/QueueMessage."""

    def __init__(self, services: QueueServices, options: QueueOptions) -> None:
        self._services = services
        self._base64 = options.base64

    async def write(self, info: FunctionInfo, values: list[tuple[dict[str, Any], Any]]) -> None:
        converter = meta.get_binding_registry().get("queue")
        for binding, value in values:
            if value is None:
                continue
            datum = converter.encode(value, expected_type=None)
            if datum.type == "json":
                items = json.loads(datum.value)
                bodies = [(item["body"] if isinstance(item, dict) else item).encode() for item in
                          (items if isinstance(items, list) else [items])]
            else:
                bodies = [datum.value if isinstance(datum.value, bytes) else str(datum.value).encode()]
            queue = self._services.get(binding).get_queue_client(str(binding["queueName"]))
            for body in bodies:
                try:
                    await queue.send_message(encode_body(body, self._base64))
                except ResourceNotFoundError:
                    with contextlib.suppress(ResourceExistsError):
                        await queue.create_queue()
                    await queue.send_message(encode_body(body, self._base64))


class QueueTriggers:
    def __init__(self, functions: list[FunctionInfo], services: QueueServices, invoker: Invoker,
                 options: QueueOptions, function_timeout_seconds: float) -> None:
        self._functions = functions
        self._services = services
        self._invoker = invoker
        self._options = options
        # Invisible for as long as the function may run, so no second copy starts meanwhile.
        self._lease_seconds = int(min(function_timeout_seconds + 60, 7 * 24 * 3600))

    async def run(self) -> None:
        await asyncio.gather(*(self._listen(info) for info in self._functions))

    async def _listen(self, info: FunctionInfo) -> None:
        try:
            service = self._services.get(info.trigger)
        except LookupError as error:
            log.error("function %s not served: %s", info.name, error)
            return
        name = str(info.trigger["queueName"])
        queue, poison = service.get_queue_client(name), service.get_queue_client(f"{name}-poison")
        running: set[asyncio.Task[None]] = set()
        delay, missing_logged = MIN_POLL_SECONDS, False
        log.info("queue trigger %s listening on %s", info.name, name)
        while True:
            if len(running) > self._options.new_batch_threshold:
                await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                continue
            try:
                batch = [m async for m in queue.receive_messages(
                    messages_per_page=self._options.batch_size, max_messages=self._options.batch_size,
                    visibility_timeout=self._lease_seconds)]
            except ResourceNotFoundError:
                batch = []
                if not missing_logged:
                    log.warning("queue %s (function %s) does not exist yet; polling for it", name, info.name)
                    missing_logged = True
            except Exception as error:  # storage restarting: poll again later
                log.warning("queue %s (function %s): %s", name, info.name, error)
                batch = []
            if not batch:
                await asyncio.sleep(delay)
                delay = min(delay * 2, max(self._options.max_polling_interval_seconds, MIN_POLL_SECONDS))
                continue
            delay = MIN_POLL_SECONDS
            for message in batch:
                task = asyncio.create_task(self._settle(info, queue, poison, message))
                running.add(task)
                task.add_done_callback(running.discard)

    async def _settle(self, info: FunctionInfo, queue: Any, poison: Any, message: Any) -> None:
        try:
            await self._process(info, queue, poison, message)
        except Exception as error:  # storage refused the delete or the update: the message comes back
            log.warning("queue message %s of %s not settled: %s", message.id, queue.queue_name, error)

    async def _process(self, info: FunctionInfo, queue: Any, poison: Any, message: Any) -> None:
        name = queue.queue_name
        try:
            body = decode_body(message.content or "", self._options.base64)
        except ValueError as error:
            await self._to_poison(queue, poison, message, f"its body is {error}")
            return
        if message.dequeue_count > self._options.max_dequeue_count:  # its last delivery died with the host
            await self._to_poison(queue, poison, message, f"it was dequeued {message.dequeue_count} times")
            return
        try:
            await self._invoker.call(info, trigger_value(message, body))
        except Exception:  # the invoker logged it
            if message.dequeue_count >= self._options.max_dequeue_count:
                await self._to_poison(queue, poison, message, f"its function failed {message.dequeue_count} times")
            else:
                await queue.update_message(message, pop_receipt=message.pop_receipt,
                                           visibility_timeout=int(self._options.visibility_timeout_seconds))
            return
        try:
            await queue.delete_message(message, pop_receipt=message.pop_receipt)
        except ResourceNotFoundError:  # its lease ran out and another delivery took it
            log.warning("queue message %s of %s was done but no longer ours to delete", message.id, name)

    @staticmethod
    async def _to_poison(queue: Any, poison: Any, message: Any, why: str) -> None:
        with contextlib.suppress(ResourceExistsError):
            await poison.create_queue()
        await poison.send_message(message.content)  # as it came, still encoded
        await queue.delete_message(message, pop_receipt=message.pop_receipt)
        log.error("queue message %s of %s moved to %s: %s", message.id, queue.queue_name, poison.queue_name, why)
