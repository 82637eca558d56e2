"""Knowledge ingestion: a blob trigger (Event Grid source) starts an orchestration per uploaded version."""

from __future__ import annotations

import hashlib
from typing import Any

import azure.durable_functions as df
import azure.functions as func

bp = df.Blueprint()


@bp.blob_trigger(arg_name="blob", path="documents/{name}", connection="AzureWebJobsStorage", source="EventGrid")
@bp.durable_client_input(client_name="client")
async def document_uploaded(blob: func.InputStream, client: df.DurableOrchestrationClient) -> None:
    name = (blob.name or "").split("/", 1)[-1]
    version = (blob.blob_properties or {}).get("ETag")
    if not version:
        raise ValueError(f"the event for {name!r} carries no ETag: its version cannot be pinned")
    # One orchestration per blob version: a repeated event finds it and starts nothing.
    instance_id = "ingest-" + hashlib.sha256(f"{name}\n{version}".encode()).hexdigest()[:32]
    if not await client.get_status(instance_id):
        await client.start_new("ingestion_orchestrator", instance_id, {"name": name, "version": str(version)})


@bp.orchestration_trigger(context_name="context")
def ingestion_orchestrator(context: df.DurableOrchestrationContext):
    """Indexes the blob version that triggered it; every write is dropped once that version is
    deleted or replaced, so a newer upload or a delete always has the last word."""
    document = context.get_input()
    name = document["name"]
    yield context.call_activity("set_document_state", {**document, "state": "indexing"})
    try:
        chunks = yield context.call_activity("index_document", document)
    except Exception as error:  # the activity's failure, as the Durable SDK raises it
        reason = str(error).split("\n")[0].strip()
        yield context.call_activity("set_document_state", {**document, "state": "failed", "reason": reason})
        return {"name": name, "state": "failed", "reason": reason}
    if chunks is None:
        return {"name": name, "state": "superseded"}
    yield context.call_activity("set_document_state", {**document, "state": "indexed", "chunks": chunks})
    return {"name": name, "state": "indexed", "chunks": chunks}


@bp.activity_trigger(input_name="document")
async def index_document(document: dict[str, str]) -> int | None:
    """The chunk count; None when the version was deleted or replaced before its chunks were committed."""
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    settings = get_settings()
    files, name, version = DocumentFiles(settings), document["name"], document["version"]
    data = await files.get(name, version)
    if data is None:
        return None
    return await knowledge_base(settings).ingest(name, data, lambda: files.is_current(name, version))


@bp.activity_trigger(input_name="change")
async def set_document_state(change: dict[str, Any]) -> bool:
    """Writes the state only while the version is current and its status record exists (a delete
    removes the record: this never brings it back)."""
    from shared.knowledge.documents import DocumentState
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    files, name, version = DocumentFiles(get_settings()), change["name"], change["version"]
    fields = {k: v for k, v in change.items() if k not in ("name", "version", "state")}
    return await (await document_statuses()).set_if_current(
        name, DocumentState(change["state"]), lambda: files.is_current(name, version), **fields)


async def document_statuses() -> Any:
    from shared.data.cosmos import cosmos_store
    from shared.knowledge.documents import DocumentStatuses
    from shared.settings import get_settings

    return DocumentStatuses(await cosmos_store(get_settings()).container("documents"))
