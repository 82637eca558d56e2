"""`make up` / `make down`: start what is missing, reuse what runs, stop only what was started."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import httpx
import pytest

from local import processes
from local.stack import Stack
from local.up import HOST_MARKER, MEDIA_MARKER, Running, down, host_state, media_state, up
from tests.hosting import wait_for

ROOT = Path(__file__).resolve().parent.parent


def test_up_twice_starts_once_and_down_stops_only_what_it_recorded(tmp_path: Path) -> None:
    running = up(ROOT, state_dir=tmp_path, port=0)
    try:
        assert running.started_stack and running.started_host and running.started_media
        assert httpx.get(f"{running.base_url}/admin/host/ping").status_code == 200
        assert httpx.get(f"{running.media_url}/health").json() == {"status": "ok", "calls": 0}
        again = up(ROOT, state_dir=tmp_path, port=0)
        assert (again.base_url, again.started_stack, again.started_host) == (running.base_url, False, False)
        assert (again.media_url, again.started_media) == (running.media_url, False)
        state, media = host_state(tmp_path / "host"), media_state(tmp_path / "media")
        assert state is not None and media is not None
    finally:
        down(ROOT, state_dir=tmp_path)
    assert not processes.is_ours(state["pid"], HOST_MARKER)
    assert not processes.is_ours(media["pid"], MEDIA_MARKER)
    assert Stack.running(tmp_path / "stack") is None
    assert host_state(tmp_path / "host") is None


COMPANY = {"name": "Fabrikam Bikes", "industry": "bicycles", "customers": 6, "products": 4, "purchases": 10,
           "conversations": 8, "seed": 11}
# Each with a word only it contains.
DOCUMENTS = {
    "returns.md": "# Returns\n\nA bicycle can be returned within 45 days. Quote the word zephyrine at the desk.\n",
    "warranty.txt": "Frames carry a ten year warranty; wheels two years. The code word is quillotine.\n",
}
WORDS = {"returns.md": "zephyrine", "warranty.txt": "quillotine"}


def admin_client(running: Running) -> httpx.Client:
    """With the master key, which opens admin and function routes alike."""
    master_key = json.loads((ROOT / "local.settings.json").read_text())["Host"]["MasterKey"]
    return httpx.Client(base_url=running.base_url, headers={"x-functions-key": master_key}, timeout=30)


def everything_seen(http: httpx.Client) -> dict:
    customers, continuation = [], None
    while True:
        page = http.get("/api/admin/customers", params={"limit": 5, **({"continuation": continuation}
                                                                       if continuation else {})}).json()
        customers += page["items"]
        if not (continuation := page["continuation"]):
            break
    return {"company": http.get("/api/admin/company").json(), "customers": customers,
            "products": http.get("/api/admin/products").json(), "dashboard": http.get("/api/admin/dashboard").json(),
            "documents": http.get("/api/admin/documents").json()["items"],
            "search": {word: http.get("/api/admin/search", params={"q": word, "top": 50}).json()["hits"]
                       for word in WORDS.values()}}


def assert_documents_agree_with_the_index(seen: dict) -> None:
    listed = {d["id"]: d["chunks"] for d in seen["documents"]}
    assert listed.keys() == DOCUMENTS.keys() and {d["state"] for d in seen["documents"]} == {"indexed"}
    for name, word in WORDS.items():
        hits = seen["search"][word]
        assert hits[0]["document"] == name and word in hits[0]["text"]
        assert Counter(hit["document"] for hit in hits) == listed  # every indexed chunk, of listed documents only


@pytest.mark.timeout(300)
def test_down_and_up_keep_the_company_its_conversations_and_the_knowledge_base(tmp_path: Path) -> None:
    running = up(ROOT, state_dir=tmp_path, port=0)
    try:
        with admin_client(running) as http:
            started = http.post("/api/admin/synthetic", json=COMPANY)
            assert started.status_code == 202, started.text
            status = wait_for(lambda: (s := http.get(started.json()["statusUri"]).json())["runtimeStatus"]
                              in {"Completed", "Failed"} and s, 120)
            assert status["runtimeStatus"] == "Completed", status
            for name, text in DOCUMENTS.items():
                assert http.post("/api/admin/documents", files={"file": (name, text.encode())}).status_code == 202
            wait_for(lambda: {d["state"] for d in http.get("/api/admin/documents").json()["items"]} == {"indexed"}
                     and len(http.get("/api/admin/documents").json()["items"]) == len(DOCUMENTS), 120, 0.2)
            before = everything_seen(http)
        assert len(before["customers"]) == COMPANY["customers"]
        assert before["dashboard"]["conversations"] == COMPANY["conversations"]
        assert_documents_agree_with_the_index(before)

        down(ROOT, state_dir=tmp_path)  # make down && make up
        running = up(ROOT, state_dir=tmp_path, port=0)
        assert running.started_stack and running.started_host
        with admin_client(running) as http:
            after = everything_seen(http)
            recount = http.post("/api/admin/dashboard/rebuild").json()  # from the conversations themselves
        assert after == before
        assert recount == {key: value for key, value in before["dashboard"].items() if key != "company"}
        assert_documents_agree_with_the_index(after)
    finally:
        down(ROOT, state_dir=tmp_path)
