"""The OpenAPI document of the admin API, built from the same pydantic models the API validates with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

KEY = [{"functionKey": []}]


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(summary: str, responses: dict[str, Any], body: dict[str, str] | None = None,
               parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "security": KEY, "responses": responses}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if parameters:
        operation["parameters"] = parameters
    return operation


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def document() -> dict[str, Any]:
    from shared.data.company import CompanyRecord
    from shared.data.models import Customer, Product
    from shared.data.paging import MAX_PAGE
    from shared.knowledge.documents import DocumentStatus
    from shared.knowledge.index import Hit
    from shared.synthetic.spec import CompanySpec

    components: dict[str, Any] = {}
    spec, customer = _schema(CompanySpec, components), _schema(Customer, components)
    product, company = _schema(Product, components), _schema(CompanyRecord, components)
    status, hit = _schema(DocumentStatus, components), _schema(Hit, components)
    error = _json("the request was refused; `error` says why, `fields` names bad fields")
    missing = _json("not found")
    paths = {
        "/api/admin/synthetic": {"post": _operation(
            "Generate a synthetic company (a Durable orchestration)",
            {"202": _json("started: the run id and its status URL"), "400": error, "409": error}, body=spec)},
        "/api/admin/synthetic/{run_id}": {"get": _operation(
            "A generation run's state, progress per kind and result",
            {"200": _json("the run"), "404": missing}, parameters=[_path_parameter("run_id")])},
        "/api/admin/synthetic/{run_id}/cancel": {"post": _operation(
            "Cancel a generation run", {"202": _json("cancelling"), "404": missing, "409": error},
            parameters=[_path_parameter("run_id")])},
        "/api/admin/company": {
            "get": _operation("The company and the state of its generation", {"200": _json("the company", company),
                                                                              "404": missing}),
            "delete": _operation("Delete the company and all its data", {"204": {"description": "deleted"},
                                                                         "409": error})},
        "/api/admin/customers": {"get": _operation(
            "A page of customers", {"200": _json("items and the continuation of the next page"), "400": error},
            parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                   "maximum": MAX_PAGE, "default": 20}},
                        {"name": "continuation", "in": "query", "schema": {"type": "string"}}])},
        "/api/admin/customers/{customer_id}": {
            "get": _operation("One customer", {"200": _json("the customer", customer), "404": missing},
                              parameters=[_path_parameter("customer_id")]),
            "delete": _operation("Delete a customer with their purchases and conversations",
                                 {"200": _json("what was deleted"), "404": missing},
                                 parameters=[_path_parameter("customer_id")])},
        "/api/admin/products": {"get": _operation(
            "The product catalog", {"200": _json("items", {"type": "object", "properties": {
                "items": {"type": "array", "items": product}}})})},
        "/api/admin/dashboard": {"get": _operation(
            "Conversations by topic, product, agent, sentiment, outcome and day",
            {"200": _json("the figures")})},
        "/api/admin/documents": {
            "post": {**_operation(
                "Upload a knowledge document (PDF, DOCX, TXT, MD); a blob trigger indexes it",
                {"202": _json("stored; indexing follows"), "400": error, "413": error, "415": error}),
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"]}}}}},
            "get": _operation("Every document and its state", {"200": _json("items")})},
        "/api/admin/documents/{name}": {
            "get": _operation("A document's state: uploaded, indexing, indexed (chunks) or failed (reason)",
                              {"200": _json("the state", status), "404": missing},
                              parameters=[_path_parameter("name")]),
            "delete": _operation("Delete a document, its file and its chunks", {"200": _json("what was deleted"),
                                                                             "404": missing},
                                 parameters=[_path_parameter("name")])},
        "/api/admin/search": {"get": _operation(
            "Hybrid search of the knowledge base; each hit cites its document and page",
            {"200": _json("hits", {"type": "object", "properties": {"hits": {"type": "array", "items": hit}}}),
             "400": error},
            parameters=[{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                        {"name": "top", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}}])},
        "/api/admin/dashboard/rebuild": {"post": _operation(
            "Recount the dashboard from every conversation (a repair; reads them all)", {"200": _json("the figures")})},
        "/api/admin/outbox": {"get": _operation(
            "Emails the agents sent while no email workflow is configured, newest first",
            {"200": _json("items"), "400": error},
            parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                   "maximum": MAX_PAGE}}])},
        "/api/admin/diagnostics": {"post": _operation(
            "Check every dependency (a Durable orchestration)", {"202": _json("started")})},
        "/api/admin/diagnostics/{instance_id}": {"get": _operation(
            "A diagnostics run's progress and result", {"200": _json("the run"), "404": missing},
            parameters=[_path_parameter("instance_id")])},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Call-center admin API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "functionKey": {"type": "apiKey", "in": "header", "name": "x-functions-key"}}},
    }
