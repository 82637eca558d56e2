"""The email tool: only to the verified caller's address on file, once per confirmed call.

Whichever adapter the settings choose, a message carries an idempotency key made from the
session and the tool call. A send is recorded under that key once the provider has it, so the
side effect's activity, run again after a crash, does not send it a second time; the key also
travels with the message (Operation-Id, Idempotency-Key, Message-ID) for a provider that dedupes.
Offline the local SMTP server puts what it receives in the `outbox` blob container.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from azure.core.exceptions import ResourceNotFoundError
from pydantic import Field

from shared.adapters import email_sender
from shared.blobs import blob_service, put_blob
from shared.mail.port import EmailNotSentError, OutgoingEmail
from shared.settings import Settings
from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

OUTBOX = "outbox"  # what the local SMTP server received
SENT = "mail-sent"  # one record per idempotency key: what was handed to the provider
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


async def deliver(settings: Settings, email: OutgoingEmail) -> dict[str, Any]:
    """Sends the email unless a send with its key was recorded; returns that record."""
    async with blob_service(settings) as service:
        record = service.get_blob_client(SENT, f"{email.idempotency_key}.json")
        try:
            return json.loads(await (await record.download_blob()).readall())
        except ResourceNotFoundError:
            pass
    sender = email_sender(settings)
    sent = {"provider": sender.name, "provider_id": await sender.send(email),
            "sent_at": datetime.now(UTC).isoformat()}
    await put_blob(settings, SENT, f"{email.idempotency_key}.json", json.dumps(sent), "application/json")
    return sent


async def outbox(settings: Settings, limit: int) -> list[dict[str, Any]]:
    """The newest messages the local SMTP server received."""
    async with blob_service(settings) as service:
        container = service.get_container_client(OUTBOX)
        if not await container.exists():
            return []
        blobs = sorted([b async for b in container.list_blobs()], key=lambda b: b.last_modified, reverse=True)
        return [json.loads(await (await container.download_blob(b.name)).readall()) for b in blobs[:limit]]


@tool(timeout_seconds=20.0, personal=True, side_effect=True)
async def send_email(ctx: ToolContext, *, subject: Annotated[str, Field(min_length=1, max_length=200)],
                     body: Annotated[str, Field(min_length=1, max_length=20_000)], to: Email | None = None
                     ) -> dict[str, Any]:
    """Emails the caller at the address on file, for example an order confirmation or a summary of the call.
    The first call reads it back; call again with confirmed=true only after the caller said yes."""
    customer = await ctx.data.customers.get(ctx.session.customer_id)
    if customer is None:
        raise ToolRefusedError("I could not find your profile")
    if to is not None and to.lower() != customer.email.lower():
        raise ToolRefusedError("I can only send email to the address we have on file for you")
    ctx.read_back(f"an email to {customer.email} with the subject \"{subject}\"")
    email = OutgoingEmail(idempotency_key=f"mail-{ctx.effect_key}", sender=ctx.settings.email_sender,
                          to=customer.email, subject=subject, body=body)
    try:
        sent = await deliver(ctx.settings, email)
    except EmailNotSentError as error:
        raise ToolRefusedError(str(error)) from None
    return {"status": "sent", "provider": sent["provider"], "to": customer.email, "subject": subject}
