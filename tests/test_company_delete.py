"""Deleting the company deletes what it owns: business data, knowledge documents, their index, the outbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from local.stack import Endpoints
from shared.blobs import blob_service, put_blob
from shared.settings import Settings
from tests.hosting import HostProcess, generate_company, product_host, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 6, "products": 4, "purchases": 10,
           "conversations": 8, "seed": 5}
NOTICE = b"# Notice\nThe Lakeside branch lends kayaks to members on Saturdays."


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    running = product_host(tmp_path_factory.mktemp("erase"), stack.as_settings())
    yield running.start()
    running.stop()


def blob_names(settings: Settings, container: str) -> list[str]:
    async def names() -> list[str]:
        async with blob_service(settings) as service:
            client = service.get_container_client(container)
            return [b.name async for b in client.list_blobs()] if await client.exists() else []

    return asyncio.run(names())


def test_deleting_the_company_leaves_nothing_behind_and_documents_work_after(host: HostProcess,
                                                                              stack: Endpoints) -> None:
    settings = Settings(**stack.as_settings())
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    with host.admin() as http:
        assert http.post("/api/admin/documents", files={"file": ("Notice.md", NOTICE)}).status_code == 202
        wait_for(lambda: http.get("/api/admin/documents/Notice.md").json().get("state") == "indexed", 30)
        # An email the agents sent, as the offline email tool stores it.
        asyncio.run(put_blob(settings, "outbox", "session-1-call-1.json", json.dumps({"id": "session-1-call-1"}),
                             "application/json"))
        assert http.get("/api/admin/outbox").json()["items"]

        assert http.delete("/api/admin/company").status_code == 204

        assert http.get("/api/admin/company").status_code == 404
        assert http.get("/api/admin/customers").json()["items"] == []
        assert http.get("/api/admin/dashboard").json()["conversations"] == 0
        assert http.get("/api/admin/documents").json()["items"] == []
        assert blob_names(settings, "documents") == []
        assert http.get("/api/admin/search", params={"q": "kayaks Lakeside"}).json()["hits"] == []
        assert http.get("/api/admin/outbox").json()["items"] == []
        assert http.delete("/api/admin/documents/Notice.md").status_code == 404  # list and delete agree

        # The knowledge base works as before: upload, index, search, delete.
        assert http.post("/api/admin/documents", files={"file": ("Notice.md", NOTICE)}).status_code == 202
        wait_for(lambda: http.get("/api/admin/documents/Notice.md").json().get("state") == "indexed", 30)
        assert [h["document"] for h in http.get("/api/admin/search", params={"q": "kayaks Lakeside"}).json()[
            "hits"]] == ["Notice.md"]
        assert http.delete("/api/admin/documents/Notice.md").status_code == 200
        assert http.get("/api/admin/documents").json()["items"] == []
        assert blob_names(settings, "documents") == []
