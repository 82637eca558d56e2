"""The agents' tools through POST /api/tools/{name}: validation, caller scope, confirmation, idempotency."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient

from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 8, "products": 20, "purchases": 20,
           "conversations": 4, "seed": 1}


@pytest.fixture(scope="module")
def tools_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir: Path = tmp_path_factory.mktemp("tools")
    host = product_host(workdir, stack.as_settings())
    host.start()
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    yield host
    host.stop()


class Caller:
    """A verified session, as the media path holds one."""

    def __init__(self, host: HostProcess, **identity: str) -> None:
        self.host = host
        with host.client() as http:
            opened = http.post("/api/sessions", json={"channel": "phone", **identity})
        assert opened.status_code == 201, opened.text
        self.session_id, self.token = opened.json()["session_id"], opened.json()["token"]
        self.customer_id, self.orchestration = opened.json()["customer_id"], opened.json()["conversation"]

    def call(self, tool: str, call_id: str | None = None, **arguments: object) -> tuple[int, dict]:
        headers = {"x-session-id": self.session_id, "x-session-token": self.token}
        if call_id:
            headers["x-tool-call-id"] = call_id
        with self.host.client() as http:
            answer = http.post(f"/api/tools/{tool}", json=arguments, headers=headers)
        return answer.status_code, answer.json()


def customer(host: HostProcess, customer_id: str) -> dict:
    with host.admin() as http:
        return http.get(f"/api/admin/customers/{customer_id}").json()


def first_customers(host: HostProcess, count: int) -> list[dict]:
    with host.admin() as http:
        return http.get("/api/admin/customers", params={"limit": count}).json()["items"]


def test_a_session_needs_its_token_and_a_function_key(tools_host: HostProcess) -> None:
    caller = Caller(tools_host, phone=first_customers(tools_host, 1)[0]["phone"])
    with tools_host.client() as http:
        wrong = http.post("/api/tools/get_customer_profile", json={},
                          headers={"x-session-id": caller.session_id, "x-session-token": "guess"})
        assert wrong.status_code == 401
        assert http.post("/api/sessions", json={"channel": "phone", "phone": "+19995550000"}).status_code == 404
        assert http.post("/api/sessions", json={"channel": "fax", "customer_id": "cust-00001"}).status_code == 400
    with tools_host.client(key=None) as anonymous:
        assert anonymous.post("/api/tools/get_customer_profile", json={}).status_code == 401
    status, profile = caller.call("get_customer_profile")
    assert status == 200 and profile["result"]["id"] == caller.customer_id


def test_a_tool_never_acts_for_another_customer(tools_host: HostProcess) -> None:
    mine, theirs = first_customers(tools_host, 2)
    caller = Caller(tools_host, customer_id=mine["id"])
    status, refused = caller.call("update_customer_address", customer_id=theirs["id"], street="1 Evil Road",
                                  postal_code="666", city="Nowhere", country="Nowhere", confirmed=True)
    assert status == 200 and refused["refused"] and "verified caller" in refused["error"]
    assert customer(tools_host, theirs["id"])["address"] == theirs["address"]
    assert caller.call("get_purchase_history", customer_id=theirs["id"])[1]["refused"]


def test_mistyped_arguments_are_named_and_nothing_is_written(tools_host: HostProcess) -> None:
    mine = first_customers(tools_host, 3)[2]
    caller = Caller(tools_host, customer_id=mine["id"])
    status, invalid = caller.call("update_customer_address", stret="12 Harbour Street", postal_code="8001",
                                  city="Zurich", country="Switzerland", confirmed="sure")
    assert status == 400
    assert {f["field"] for f in invalid["fields"]} == {"stret", "street", "confirmed"}
    assert customer(tools_host, mine["id"])["address"] == mine["address"]
    assert caller.call("no_such_tool")[0] == 404


def test_an_address_change_waits_for_the_callers_confirmation(tools_host: HostProcess) -> None:
    mine = first_customers(tools_host, 4)[3]
    caller = Caller(tools_host, customer_id=mine["id"])
    move = {"street": "12 Harbour Street", "postal_code": "8001", "city": "Zurich", "country": "Switzerland"}
    _, asked = caller.call("update_customer_address", **move)
    assert asked["result"] == {"status": "confirmation_required",
                               "read_back": "12 Harbour Street, 8001 Zurich, Switzerland"}
    assert customer(tools_host, mine["id"])["address"] == mine["address"]
    _, done = caller.call("update_customer_address", confirmed=True, **move)
    assert done["result"]["status"] == "updated"
    stored = customer(tools_host, mine["id"])
    assert stored["address"] == move and stored["previous_addresses"][-1] == mine["address"]


def test_an_order_checks_stock_asks_first_and_is_placed_once(tools_host: HostProcess) -> None:
    caller = Caller(tools_host, customer_id=first_customers(tools_host, 5)[4]["id"])
    _, catalog = caller.call("list_products")
    scarce = min(catalog["result"], key=lambda p: p["in_stock"])
    assert scarce["in_stock"] < 20  # so that more than is in stock is a valid quantity
    _, short = caller.call("create_order", product_id=scarce["id"], quantity=scarce["in_stock"] + 1, confirmed=True)
    assert short["refused"] and f"only {scarce['in_stock']}" in short["error"]
    product = max(catalog["result"], key=lambda p: p["in_stock"])
    _, asked = caller.call("create_order", product_id=product["id"], quantity=2)
    assert asked["result"]["status"] == "confirmation_required"
    for _ in range(2):  # the same tool call, retried: one order, stock taken once
        _, placed = caller.call("create_order", call_id="call-7", product_id=product["id"], quantity=2,
                                confirmed=True)
        assert placed["result"]["status"] == "ordered"
    _, after = caller.call("get_product", product_id=product["id"])
    assert after["result"]["in_stock"] == product["in_stock"] - 2
    _, history = caller.call("get_purchase_history")
    orders = [p for p in history["result"] if p["id"] == placed["result"]["order"]["id"]]
    assert len(orders) == 1 and orders[0]["quantity"] == 2


def test_email_goes_to_the_outbox(tools_host: HostProcess, stack: Endpoints) -> None:
    caller = Caller(tools_host, customer_id=first_customers(tools_host, 1)[0]["id"])
    _, sent = caller.call("send_email", call_id="mail-1", to="ada@example.com", subject="Your order",
                          body="2 x tent, ordered today.")
    assert sent["result"]["status"] == "outbox"
    blob = BlobServiceClient.from_connection_string(stack.storage_connection_string).get_blob_client(
        "outbox", f"{caller.session_id}-mail-1.json")
    message = json.loads(blob.download_blob().readall())
    assert (message["to"], message["customer_id"]) == ("ada@example.com", caller.customer_id)


def test_knowledge_and_web_search(tools_host: HostProcess) -> None:
    caller = Caller(tools_host, customer_id=first_customers(tools_host, 1)[0]["id"])
    with tools_host.admin() as http:
        http.post("/api/admin/documents", files={"file": ("FAQ.md", b"# FAQ\n\nWe match lower prices from major "
                                                          b"retailers within 14 days of purchase.", "text/markdown")})
    grounded = wait_for(lambda: (r := caller.call("search_knowledge_base", query="Do you match prices?")[1])
                        ["result"]["grounded"] and r)
    assert grounded["result"]["passages"][0]["citation"] == "FAQ.md, page 1"
    _, news = caller.call("web_search", query="latest news about Contoso Outdoor")
    assert news["result"][0]["source"].startswith("offline stand-in")
    assert "Contoso Outdoor" in news["result"][0]["title"]


def test_the_registered_activities_are_the_tools() -> None:
    from blueprints.tools import TOOL_NAMES
    from shared.tools.runner import all_tools

    assert set(TOOL_NAMES) == set(all_tools())
    assert all(spec.schema()["function"]["parameters"]["type"] == "object" for spec in all_tools().values())


def test_each_tool_call_is_recorded_on_the_sessions_orchestration(tools_host: HostProcess) -> None:
    mine, theirs = first_customers(tools_host, 2)
    caller = Caller(tools_host, customer_id=mine["id"])
    caller.call("get_customer_profile")
    caller.call("get_purchase_history", customer_id=theirs["id"])  # refused, and recorded as such

    def status() -> dict:
        with tools_host.client("system") as http:
            return http.get(f"/runtime/webhooks/durabletask/instances/{caller.orchestration}").json()

    recorded = wait_for(lambda: (s := status())["customStatus"]["events"] == 2 and s)["customStatus"]
    assert recorded["recent_tools"] == [{"name": "get_customer_profile", "ok": True},
                                        {"name": "get_purchase_history", "ok": False}]
    assert recorded["refused"] == 1
    with tools_host.client() as http:  # the caller hangs up
        assert http.post("/api/sessions/end", headers={"x-session-id": caller.session_id,
                                                       "x-session-token": caller.token}).status_code == 202
    ended = wait_for(lambda: (s := status())["runtimeStatus"] == "Completed" and s)
    assert ended["output"]["status"] == "ended"
