"""The admin portal's view of calls and chats: the newest conversation orchestrations with their tracked state,
and one conversation's transcript while it runs and its post-call record once it ended."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from local.stack import Endpoints
from shared.conversation.overview import recent
from tests.hosting import HostProcess, generate_company, product_host, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 3, "products": 5, "purchases": 4,
           "conversations": 2, "seed": 9}


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir: Path = tmp_path_factory.mktemp("conversations")
    running = product_host(workdir, stack.as_settings())
    running.start()
    assert generate_company(running, COMPANY)["result"]["status"] == "complete"
    yield running
    running.stop()


def test_a_chat_is_listed_live_with_its_transcript_then_with_its_record(host: HostProcess) -> None:
    with host.admin() as admin, host.client("service") as service:
        customer = admin.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
        opened = service.post("/api/sessions", json={"channel": "chat", "customer_id": customer["id"]}).json()
        headers = {"x-session-id": opened["session_id"], "x-session-token": opened["token"]}
        assert service.post("/api/chat", json={"message": "How much is the cheapest tent?"},
                            headers=headers).status_code == 200
        listed = admin.get("/api/admin/conversations").json()["items"]
        run = next(r for r in listed if r["id"] == opened["conversation"])
        assert run["channel"] == "chat" and run["runtimeStatus"] == "Running"
        assert run["state"]["phase"] == "in conversation" and run["state"]["turns"] == 1
        live = admin.get(f"/api/admin/conversations/{opened['conversation']}").json()
        assert [t["speaker"] for t in live["transcript"]] == ["caller", "agent"]
        assert live["transcript"][0]["text"] == "How much is the cheapest tent?" and live["record"] is None

        assert service.post("/api/sessions/end", headers=headers).status_code == 202
        ended = wait_for(lambda: (d := admin.get(f"/api/admin/conversations/{opened['conversation']}").json())
                         ["record"] and d, 30)
        assert ended["runtimeStatus"] == "Completed" and ended["state"]["status"] == "ended"
        assert ended["record"]["customer_id"] == customer["id"] and ended["record"]["summary"]
        assert ended["transcript"][0]["text"] == "How much is the cheapest tent?"


def test_the_list_is_newest_first_and_only_conversations(host: HostProcess) -> None:
    with host.admin() as admin, host.client("service") as service:
        customer = admin.get("/api/admin/customers", params={"limit": 1}).json()["items"][0]
        ids = [service.post("/api/sessions", json={"channel": "chat", "customer_id": customer["id"]}).json()
               ["conversation"] for _ in range(2)]
        listed = [r["id"] for r in admin.get("/api/admin/conversations", params={"limit": 2}).json()["items"]]
        assert listed == ids[::-1]
        everything = [r["id"] for r in admin.get("/api/admin/conversations").json()["items"]]
        assert not any(i.startswith("synthetic-") for i in everything)


def test_an_unknown_or_other_orchestration_is_not_found(host: HostProcess) -> None:
    with host.admin() as admin:
        assert admin.get("/api/admin/conversations/call-000000000000000000000000").status_code == 404
        run_id = admin.get("/api/admin/company").json()["run_id"]
        assert admin.get(f"/api/admin/conversations/{run_id}").status_code == 404
        assert admin.get("/api/admin/conversations", params={"limit": 0}).status_code == 400
    with host.client(None) as anonymous:
        assert anonymous.get("/api/admin/conversations").status_code == 401


async def test_the_listing_walks_every_page_of_the_durable_query() -> None:
    """Pages come oldest first, a bounded number at a time; each next query starts at the last creation time."""
    start = datetime(2026, 12, 1, tzinfo=UTC)
    runs = [SimpleNamespace(instance_id=f"conversation-{i:03}", name="conversation_orchestrator",
                            created_time=start + timedelta(seconds=i // 2)) for i in range(250)]
    runs.append(SimpleNamespace(instance_id="conversation-x", name="other", created_time=start))
    asked: list[datetime] = []

    async def page(since: datetime, prefix: str) -> list[SimpleNamespace]:
        asked.append(since)
        return sorted((r for r in runs if r.created_time >= since and r.instance_id.startswith(prefix)),
                      key=lambda r: r.created_time)[:100]

    newest = await recent(page, start + timedelta(days=1), 3)
    assert [r.instance_id for r in newest] == ["conversation-249", "conversation-248", "conversation-247"]
    assert len(await recent(page, start + timedelta(days=1), 1000)) == 250
