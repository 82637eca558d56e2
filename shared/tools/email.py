"""The email tool behind a port: an HTTP workflow (Logic Apps) in Azure, an outbox in blob storage offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field

from shared.blobs import put_blob
from shared.tools.registry import tool
from shared.tools.session import ToolContext

OUTBOX = "outbox"
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


async def deliver(ctx: ToolContext, message: dict[str, Any]) -> str:
    """Sends through the workflow if one is set, else writes to the outbox; returns where it went."""
    if ctx.settings.email_workflow_url:
        import aiohttp

        async with aiohttp.ClientSession() as http, http.post(ctx.settings.email_workflow_url, json=message) as sent:
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


@tool(timeout_seconds=10.0)
async def send_email(ctx: ToolContext, *, to: Email, subject: Annotated[str, Field(min_length=1, max_length=200)],
                     body: Annotated[str, Field(min_length=1, max_length=20_000)]) -> dict[str, Any]:
    """Sends an email for the caller, for example an order confirmation or a summary of the call."""
    message = {"id": f"{ctx.session.id}-{ctx.call_id}", "to": to, "subject": subject, "body": body,
               "customer_id": ctx.session.customer_id, "sent_at": datetime.now(UTC).isoformat()}
    return {"status": await deliver(ctx, message), "to": to, "subject": subject}
