"""Admin HTTP API of the knowledge base: upload, list, delete documents; search them."""

from __future__ import annotations

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import BadRequestError, bad_request, error_response, json_response
from blueprints.ingestion import document_statuses

bp = df.Blueprint()


@bp.route(route="admin/documents", methods=["POST"])
async def upload_document(req: func.HttpRequest) -> func.HttpResponse:
    from shared.knowledge.documents import NAME, DocumentState
    from shared.knowledge.extract import ExtractionError, check_upload
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    settings = get_settings()
    if not req.headers.get("content-type", "").startswith("multipart/form-data"):
        return error_response(400, "send the document as multipart/form-data in a field named 'file'")
    upload = req.files.get("file")
    if upload is None or not upload.filename:
        return error_response(400, "no file: the form needs a field named 'file' with a file name")
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not NAME.match(name):
        return error_response(400, f"file name {name!r}: use letters, digits, spaces and . _ ( ) - (121 at most)")
    data = upload.read()
    try:
        check_upload(name, data, settings.max_document_bytes)
    except ExtractionError as error:
        status = 413 if "limit" in str(error) else 415 if "unsupported" in str(error) else 400
        return error_response(status, f"{name}: {error}")
    # The record first: the ingestion of this version only updates a record that exists.
    await (await document_statuses()).set(name, DocumentState.UPLOADED, size=len(data), chunks=None, reason=None)
    await DocumentFiles(settings).put(name, data)
    return json_response({"name": name, "state": "uploaded", "statusUri": f"/api/admin/documents/{name}"}, 202)


@bp.route(route="admin/documents", methods=["GET"])
async def list_documents(req: func.HttpRequest) -> func.HttpResponse:
    statuses = await (await document_statuses()).all()
    return json_response({"items": [s.model_dump(mode="json") for s in statuses]})


@bp.route(route="admin/documents/{name}", methods=["GET"])
async def get_document(req: func.HttpRequest) -> func.HttpResponse:
    status = await (await document_statuses()).get(req.route_params["name"])
    if status is None:
        return error_response(404, "no document with this name")
    return json_response(status.model_dump(mode="json"))


@bp.route(route="admin/documents/{name}", methods=["DELETE"])
async def delete_document(req: func.HttpRequest) -> func.HttpResponse:
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    settings, name = get_settings(), req.route_params["name"]
    # The file first: an ingestion still running then finds its version gone and writes nothing,
    # or it committed before and its chunks and record go below. Each part is deleted even if
    # another is missing, so whatever a crash left behind can be deleted again.
    file = await DocumentFiles(settings).delete(name)
    chunks = await knowledge_base(settings).forget(name)
    status = await (await document_statuses()).delete(name)
    if not (file or chunks or status):
        return error_response(404, "no document with this name")
    return json_response({"deleted": name, "chunks": chunks})


@bp.route(route="admin/search", methods=["GET"])
async def search_documents(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.http import parse_model
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.query import SearchRequest
    from shared.settings import get_settings

    try:
        request = parse_model(SearchRequest, dict(req.params))
    except BadRequestError as error:
        return bad_request(error)
    hits = await knowledge_base(get_settings()).search(request.q, request.top)
    return json_response({"query": request.q, "hits": [h.model_dump() for h in hits]})
