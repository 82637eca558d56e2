"""The email tool behind a port: an HTTP workflow (Logic Apps) in Azure, an outbox in blob storage offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field

from shared.blobs import put_blob
from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

OUTBOX = "outbox"
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


async def deliver(ctx: ToolContext, message: dict[str, Any]) -> str:
    """Sends through the workflow if one is set, else writes to the outbox; returns where it went."""
    if ctx.settings.email_workflow_url:
        import aiohttp

        # The workflow drops a message whose idempotency key it has seen: a retried send mails once.
        async with aiohttp.ClientSession() as http, http.post(
                ctx.settings.email_workflow_url, json=message, headers={"Idempotency-Key": message["id"]}) as sent:
            sent.raise_for_status()
        return "sent"
    # Named after the tool call: a repeated call overwrites its own message instead of sending two.
    await put_blob(ctx.settings, OUTBOX, f"{message['id']}.json", json.dumps(message), "application/json")
    return "outbox"


async def outbox(settings: Any, limit: int) -> list[dict[str, Any]]:
    """The newest messages of the offline outbox."""
    from shared.blobs import blob_service

    async with blob_service(settings) as service:
        container = service.get_container_client(OUTBOX)
        if not await container.exists():
            return []
        blobs = sorted([b async for b in container.list_blobs()], key=lambda b: b.last_modified, reverse=True)
        return [json.loads(await (await container.download_blob(b.name)).readall()) for b in blobs[:limit]]


@tool(timeout_seconds=10.0, personal=True, side_effect=True)
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
    message = {"id": f"mail-{ctx.effect_key}", "to": customer.email, "subject": subject, "body": body,
               "customer_id": customer.id, "sent_at": datetime.now(UTC).isoformat()}
    return {"status": await deliver(ctx, message), "to": customer.email, "subject": subject}
