"""The offline stand-in for a mail server: a real SMTP server (aiosmtpd) on a loopback port.

`python -m local.smtp --port N` with the storage connection in `AzureWebJobsStorage`. Every
message it accepts becomes one blob in the `outbox` container, as it was received (sender,
recipients, Message-ID, subject, text), which `GET /api/admin/outbox` lists. It keeps every
delivery, repeats included, so that a message sent twice shows twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import hashlib
import json
import logging
import signal
import sys
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

from azure.core.exceptions import ResourceExistsError
from azure.storage.blob import ContentSettings
from azure.storage.blob.aio import BlobServiceClient

OUTBOX = "outbox"
LOOPBACK = ("127.0.0.1", "::1")
MAX_MESSAGE_BYTES = 1024 * 1024
log = logging.getLogger("local.smtp")


def received(content: bytes, sender: str, recipients: list[str]) -> dict[str, Any]:
    """A message as the outbox shows it."""
    message = message_from_bytes(content, policy=policy.default)
    text = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    return {"id": str(message.get("Message-ID", "")).strip("<>"), "message_id": str(message.get("Message-ID", "")),
            "from": sender, "to": ", ".join(recipients), "subject": str(message.get("Subject", "")),
            "body": text.get_content().strip() if text is not None else "",
            "received_at": datetime.now(UTC).isoformat(), "bytes": len(content)}


class OutboxHandler:
    """aiosmtpd's handler: DATA is stored, then acknowledged (a failed write answers 451, so the sender retries)."""

    def __init__(self, storage_connection: str) -> None:
        self._storage = storage_connection

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        item = received(envelope.original_content or envelope.content, envelope.mail_from, list(envelope.rcpt_tos))
        name = f"{time.time_ns():020d}-{hashlib.sha256(item['message_id'].encode()).hexdigest()[:12]}.json"
        try:
            async with BlobServiceClient.from_connection_string(self._storage) as service:
                container = service.get_container_client(OUTBOX)
                with contextlib.suppress(ResourceExistsError):
                    await container.create_container()
                await container.upload_blob(name, json.dumps(item),
                                            content_settings=ContentSettings(content_type="application/json"))
        except Exception as error:
            log.warning("could not store message %s: %s", item["message_id"], type(error).__name__)
            return "451 Requested action aborted: local error in processing"
        log.info("received %s (%d bytes)", item["message_id"], item["bytes"])  # no address: personal data
        return "250 Message accepted for delivery"


async def serve(host: str, port: int, storage_connection: str) -> None:
    from aiosmtpd.smtp import SMTP

    if host not in LOOPBACK:
        raise ValueError(f"the local SMTP server listens on loopback only, not {host}")
    loop = asyncio.get_running_loop()
    handler = OutboxHandler(storage_connection)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", data_size_limit=MAX_MESSAGE_BYTES, timeout=30),
        host=host, port=port, reuse_address=False)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("SMTP on %s:%d", host, port)
    async with server:
        await stop.wait()


def main() -> int:
    from shared.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m local.smtp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", choices=LOOPBACK)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    storage = Settings().storage_connection  # AzureWebJobsStorage, as the app reads it
    # aiosmtpd's own log (mail.log) names senders and recipients at INFO: personal data, kept out.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    log.setLevel(logging.INFO)
    try:
        asyncio.run(serve(args.host, args.port, storage))
    except OSError as error:  # the port is taken: say so and stop, never pick another
        # The errno's name (EADDRINUSE) tells the stack to start it again on other ports.
        print(f"cannot listen on {args.host}:{args.port}: {error.strerror} ({errno.errorcode.get(error.errno or 0)})",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
