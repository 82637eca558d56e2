"""Admin HTTP API of the knowledge base: upload, list, delete documents; search them."""

from __future__ import annotations

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import BadRequestError, error_response, json_response, query, refusing, upload_bytes
from blueprints.ingestion import document_statuses

bp = df.Blueprint()
ADMIN = func.AuthLevel.ADMIN


@bp.route(route="admin/documents", methods=["POST"], auth_level=ADMIN)
@refusing(upload_bytes)
async def upload_document(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import DocumentUploaded, dump
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
    return json_response(dump(DocumentUploaded(name=name, state=DocumentState.UPLOADED,
                                               statusUri=f"/api/admin/documents/{name}")), 202)


@bp.route(route="admin/documents", methods=["GET"], auth_level=ADMIN)
@refusing()
async def list_documents(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import DocumentList, dump

    return json_response(dump(DocumentList(items=await (await document_statuses()).all())))


@bp.route(route="admin/documents/{name}", methods=["GET"], auth_level=ADMIN)
@refusing()
async def get_document(req: func.HttpRequest) -> func.HttpResponse:
    status = await (await document_statuses()).get(document_name(req))
    if status is None:
        return error_response(404, "no document with this name")
    return json_response(status.model_dump(mode="json"))


@bp.route(route="admin/documents/{name}", methods=["DELETE"], auth_level=ADMIN)
@refusing()
async def delete_document(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import DocumentDeleted, dump
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.storage import DocumentFiles
    from shared.settings import get_settings

    settings, name = get_settings(), document_name(req)
    # The file first: an ingestion still running then finds its version gone and writes nothing,
    # or it committed before and its chunks and record go below. Each part is deleted even if
    # another is missing, so whatever a crash left behind can be deleted again.
    file = await DocumentFiles(settings).delete(name)
    chunks = await knowledge_base(settings).forget(name)
    status = await (await document_statuses()).delete(name)
    if not (file or chunks or status):
        return error_response(404, "no document with this name")
    return json_response(dump(DocumentDeleted(deleted=name, chunks=chunks)))


@bp.route(route="admin/search", methods=["GET"], auth_level=ADMIN)
@refusing()
async def search_documents(req: func.HttpRequest) -> func.HttpResponse:
    from blueprints.api_models import SearchAnswer, dump
    from shared.knowledge.base import knowledge_base
    from shared.knowledge.query import SearchRequest
    from shared.settings import get_settings

    request = query(req, SearchRequest)
    # Every page with its relevance, the floor not applied: what an admin checks the index with (the agents'
    # tool applies the floor).
    hits = await knowledge_base(get_settings()).search(request.q, request.top, min_relevance=0.0)
    return json_response(dump(SearchAnswer(query=request.q, hits=hits)))


def document_name(req: func.HttpRequest) -> str:
    """The route's document name, refused unless an upload could have had it (it becomes a blob path)."""
    from shared.knowledge.documents import NAME

    name = req.route_params["name"]
    if not NAME.match(name):
        raise BadRequestError(f"document name {name[:140]!r}: no document can have it (letters, digits, "
                              "spaces and . _ ( ) -, starting with a letter or digit, 121 at most)")
    return name
