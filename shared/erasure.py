"""Deleting the company: everything it owns, in an order an ingestion still running cannot undo.

Survives: the Durable task hub (orchestration histories of past runs and calls, with their
inputs and custom status), which its own purge API removes.
"""

from __future__ import annotations

from typing import Any

from shared.settings import Settings


async def erase_company(settings: Settings) -> dict[str, Any]:
    """Knowledge files, their chunks, the email outbox, then every Cosmos DB container
    (business data, dashboard, document status records, sessions); returns what went."""
    from shared.blobs import delete_all_blobs
    from shared.data.cosmos import cosmos_store
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.storage import DocumentFiles
    from shared.tools.email import OUTBOX

    # Files before chunks: an ingestion that has not committed yet then finds its version gone.
    erased = {"documents": await DocumentFiles(settings).delete_all(),
              "chunks": await knowledge_base(settings).forget_all(),
              "emails": await delete_all_blobs(settings, OUTBOX)}
    await cosmos_store(settings).drop_all()
    return erased
