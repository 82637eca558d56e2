"""The knowledge base through the host: upload, blob-triggered ingestion, hybrid search with citations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local.sample_corpus import build
from local.stack import Endpoints
from tests.hosting import HostProcess, product_host, wait_for

MAX_BYTES = 200_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    build(out)
    return out


@pytest.fixture(scope="module")
def kb_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir = tmp_path_factory.mktemp("knowledge")
    host = product_host(workdir, stack.as_settings(), MAX_DOCUMENT_BYTES=str(MAX_BYTES))
    yield host.start()
    host.stop()


def upload(host: HostProcess, name: str, data: bytes, content_type: str = "application/octet-stream") -> dict:
    with host.admin() as http:
        answer = http.post("/api/admin/documents", files={"file": (name, data, content_type)})
    return {"status": answer.status_code, **answer.json()}


def state(host: HostProcess, name: str) -> dict:
    with host.admin() as http:
        return http.get(f"/api/admin/documents/{name}").json()


def settled(host: HostProcess, name: str) -> dict:
    return wait_for(lambda: (s := state(host, name)).get("state") in {"indexed", "failed"} and s, 30)


def search(host: HostProcess, query: str, top: int = 5) -> list[dict]:
    with host.admin() as http:
        return http.get("/api/admin/search", params={"q": query, "top": top}).json()["hits"]


def test_an_uploaded_20_page_pdf_becomes_searchable_with_citations(kb_host: HostProcess, corpus: Path) -> None:
    # How fast is bench/ingest.py's to say: here a generous bound only, so a loaded machine is slow, not wrong.
    assert upload(kb_host, "Product Care Manual.pdf", (corpus / "Product Care Manual.pdf").read_bytes())["status"] \
        == 202

    def cited() -> bool:
        hits = search(kb_host, "When should I replace my bike helmet?")
        return bool(hits) and (hits[0]["document"], hits[0]["page"]) == ("Product Care Manual.pdf", 9)

    wait_for(cited, 90)
    size = (corpus / "Product Care Manual.pdf").stat().st_size
    assert settled(kb_host, "Product Care Manual.pdf") | {"updated_at": None} == {
        "id": "Product Care Manual.pdf", "state": "indexed", "size": size, "chunks": 20, "reason": None,
        "updated_at": None}


def test_every_format_is_ingested_and_cited(kb_host: HostProcess, corpus: Path) -> None:
    for name in ("Returns Policy.pdf", "Shipping Guide.docx", "FAQ.md"):
        assert upload(kb_host, name, (corpus / name).read_bytes())["status"] == 202
    for name in ("Returns Policy.pdf", "Shipping Guide.docx", "FAQ.md"):
        assert settled(kb_host, name)["state"] == "indexed"
    assert [(h["document"], h["page"]) for h in search(kb_host, "Who pays import taxes on orders abroad?", 1)] == [
        ("Shipping Guide.docx", 2)]
    assert search(kb_host, "Do you match lower prices from other shops?", 1)[0]["document"] == "FAQ.md"
    with kb_host.admin() as http:
        names = {d["id"] for d in http.get("/api/admin/documents").json()["items"]}
    assert {"Returns Policy.pdf", "Shipping Guide.docx", "FAQ.md"} <= names


def test_bad_files_are_refused_or_failed_with_a_reason_and_others_keep_ingesting(kb_host: HostProcess,
                                                                                 corpus: Path) -> None:
    assert upload(kb_host, "empty.txt", b"")["status"] == 400
    unsupported = upload(kb_host, "setup.exe", b"MZ\x90\x00")
    assert unsupported["status"] == 415 and ".exe" in unsupported["error"]
    too_big = upload(kb_host, "huge.txt", b"word " * (MAX_BYTES // 5 + 1))
    assert too_big["status"] == 413 and str(MAX_BYTES) in too_big["error"]
    assert upload(kb_host, "fake.pdf", b"just text")["status"] == 400
    escaped = upload(kb_host, "../escape.md", b"# hi")
    assert (escaped["status"], escaped["name"]) == (202, "escape.md")  # a path in the file name is dropped
    with kb_host.admin() as http:
        assert http.get("/api/admin/documents/empty.txt").status_code == 404  # refused: nothing stored
        assert http.post("/api/admin/documents", content=b"raw").status_code == 400
    assert upload(kb_host, "Damaged.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog>> broken")["status"] == 202
    assert upload(kb_host, "Warranty Terms.pdf", (corpus / "Warranty Terms.pdf").read_bytes())["status"] == 202
    damaged = settled(kb_host, "Damaged.pdf")
    assert damaged["state"] == "failed" and "PDF" in damaged["reason"]
    assert settled(kb_host, "Warranty Terms.pdf")["state"] == "indexed"


def test_uploading_again_replaces_the_chunks_and_delete_removes_them(kb_host: HostProcess) -> None:
    assert upload(kb_host, "Notice.md", b"# Notice\nThe store in Springfield closes at 6 pm on weekdays.")["status"] \
        == 202
    wait_for(lambda: any(h["document"] == "Notice.md" for h in search(kb_host, "Springfield store hours")))
    assert upload(kb_host, "Notice.md", b"# Notice\nThe Riverside outlet opens at 9 am on Sundays.")["status"] == 202
    wait_for(lambda: any("Riverside" in h["text"] for h in search(kb_host, "Riverside outlet Sunday")))
    assert not any("Springfield" in h["text"] for h in search(kb_host, "Springfield store hours", 20))
    with kb_host.admin() as http:
        deleted = http.delete("/api/admin/documents/Notice.md")
        assert deleted.status_code == 200 and deleted.json()["chunks"] == 1
        assert http.delete("/api/admin/documents/Notice.md").status_code == 404
        assert http.get("/api/admin/search", params={"q": "x", "top": 500}).status_code == 400
    assert not any(h["document"] == "Notice.md" for h in search(kb_host, "Riverside outlet Sunday", 20))
