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
    version = str((blob.blob_properties or {}).get("ETag") or hashlib.sha256(blob.read()).hexdigest())
    # One orchestration per blob version: a repeated event finds it and starts nothing.
    instance_id = "ingest-" + hashlib.sha256(f"{name}\n{version}".encode()).hexdigest()[:32]
    if not await client.get_status(instance_id):
        await client.start_new("ingestion_orchestrator", instance_id, {"name": name})


@bp.orchestration_trigger(context_name="context")
def ingestion_orchestrator(context: df.DurableOrchestrationContext):
    name = context.get_input()["name"]
    yield context.call_activity("set_document_state", {"name": name, "state": "indexing"})
    try:
        chunks = yield context.call_activity("index_document", name)
    except Exception as error:  # the activity's failure, as the Durable SDK raises it
        reason = str(error).split("\n")[0].strip()
        yield context.call_activity("set_document_state", {"name": name, "state": "failed", "reason": reason})
        return {"name": name, "state": "failed", "reason": reason}
    yield context.call_activity("set_document_state", {"name": name, "state": "indexed", "chunks": chunks})
    return {"name": name, "state": "indexed", "chunks": chunks}


@bp.activity_trigger(input_name="name")
async def index_document(name: str) -> int:
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    settings = get_settings()
    return await knowledge_base(settings).ingest(name, await DocumentFiles(settings).get(name))


@bp.activity_trigger(input_name="change")
async def set_document_state(change: dict[str, Any]) -> None:
    from shared.knowledge.documents import DocumentState

    fields = {k: v for k, v in change.items() if k not in ("name", "state")}
    await (await document_statuses()).set(change["name"], DocumentState(change["state"]), **fields)


async def document_statuses() -> Any:
    from shared.data.cosmos import cosmos_store
    from shared.knowledge.documents import DocumentStatuses
    from shared.settings import get_settings

    return DocumentStatuses(await cosmos_store(get_settings()).container("documents"))
