"""The agents' tools through POST /api/tools/{name}: keys, sessions, verification, confirmation, exactly once."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from azure.cosmos import CosmosClient

from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 12, "products": 20, "purchases": 30,
           "conversations": 4, "seed": 1}


@pytest.fixture(scope="module")
def tools_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    workdir: Path = tmp_path_factory.mktemp("tools")
    host = product_host(workdir, stack.as_settings())
    host.start()
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    yield host
    host.stop()


def customers(host: HostProcess, count: int) -> list[dict]:
    with host.client("master") as http:
        return http.get("/api/admin/customers", params={"limit": count}).json()["items"]


def customer(host: HostProcess, customer_id: str) -> dict:
    with host.client("master") as http:
        return http.get(f"/api/admin/customers/{customer_id}").json()


def product(host: HostProcess, product_id: str) -> dict:
    with host.client("master") as http:
        return next(p for p in http.get("/api/admin/products").json()["items"] if p["id"] == product_id)


class Caller:
    """A session, as the media path holds one: identified by phone or id, verified only when asked."""

    def __init__(self, host: HostProcess, **identity: str) -> None:
        self.host = host
        with host.client("service") as http:
            opened = http.post("/api/sessions", json={"channel": "phone", **identity})
        assert opened.status_code == 201, opened.text
        self.session_id, self.token = opened.json()["session_id"], opened.json()["token"]
        self.customer_id, self.orchestration = opened.json()["customer_id"], opened.json()["conversation"]
        assert opened.json()["verified"] is False

    @property
    def headers(self) -> dict[str, str]:
        return {"x-session-id": self.session_id, "x-session-token": self.token}

    def call(self, tool: str, call_id: str | None = None, **arguments: object) -> tuple[int, dict]:
        headers = self.headers | ({"x-tool-call-id": call_id} if call_id else {})
        with self.host.client("service") as http:
            answer = http.post(f"/api/tools/{tool}", json=arguments, headers=headers)
        assert answer.headers.get("content-type", "").startswith("application/json"), (
            answer.status_code, answer.text, self.host.log_tail(3000))
        return answer.status_code, answer.json()

    def next_turn(self) -> None:
        """The caller spoke again, as the media path reports it."""
        with self.host.client("service") as http:
            assert http.post("/api/sessions/turn", headers=self.headers).status_code == 200

    def verify(self) -> None:
        me = customer(self.host, self.customer_id)
        status, verified = self.call("verify_caller", postal_code=me["address"]["postal_code"],
                                     date_of_birth=me["date_of_birth"])
        assert status == 200 and verified["ok"], verified

    def confirm(self, tool: str, call_id: str | None = None, **arguments: object) -> dict:
        """Proposes, lets the caller say yes in the next turn, confirms: the result of the confirmed call."""
        _, asked = self.call(tool, **arguments)
        assert asked["result"]["status"] == "confirmation_required", asked
        self.next_turn()
        return self.call(tool, call_id, confirmed=True, **arguments)[1]


def verified_caller(host: HostProcess, index: int) -> Caller:
    caller = Caller(host, customer_id=customers(host, index + 1)[index]["id"])
    caller.verify()
    return caller


def test_each_key_opens_only_its_own_routes(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 0)
    for key in (None, "function", "master"):  # neither host key opens the client routes
        with tools_host.client(key) as http:
            assert http.post("/api/tools/list_products", json={}, headers=caller.headers).status_code == 401
            assert http.post("/api/sessions", json={"channel": "chat", "customer_id": "cust-00000"}).status_code \
                == 401
            assert http.get("/api/tools").status_code == 401
    with tools_host.client("service") as http:  # and the service key opens no admin route
        assert http.get("/api/admin/customers").status_code == 401
        assert http.delete("/api/admin/company").status_code == 401
        wrong = http.post("/api/tools/list_products", json={}, headers={**caller.headers, "x-session-token": "x"})
        assert wrong.status_code == 401
        assert http.post("/api/sessions", json={"channel": "phone", "phone": "+19995550000"}).status_code == 404
        assert http.post("/api/sessions", json={"channel": "fax", "customer_id": "cust-00001"}).status_code == 400
        for weird in ("..", "ses-../../x", "ses-" + "0" * 32, "%2e%2e"):
            assert http.post("/api/tools/list_products", json={},
                             headers={"x-session-id": weird, "x-session-token": "t"}).status_code == 401


def test_a_session_cannot_choose_its_orchestration(tools_host: HostProcess) -> None:
    other = Caller(tools_host, customer_id=customers(tools_host, 2)[1]["id"])
    with tools_host.client("service") as http:
        hijack = http.post("/api/sessions", json={"channel": "chat", "customer_id": customers(tools_host, 1)[0]["id"],
                                                  "call_instance_id": other.orchestration})
    assert hijack.status_code == 400 and "call_instance_id" in hijack.text


def test_an_ended_session_is_revoked_everywhere(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 1)
    with tools_host.client("service") as http:
        assert http.post("/api/sessions/end", headers=caller.headers).status_code == 202
        assert http.post("/api/chat", json={"message": "hello"}, headers=caller.headers).status_code == 401
        assert http.post("/api/sessions/turn", headers=caller.headers).status_code == 401
    status, _ = caller.call("update_customer_address", street="1 Late Road", postal_code="1000", city="Bern",
                            country="Switzerland")
    assert status == 401


def _backdate(stack: Endpoints, database: str, session_id: str, **fields: datetime) -> None:
    """Moves a session's clock back, as if time had passed (the test cannot wait hours)."""
    client = CosmosClient(stack.cosmos_endpoint, credential=stack.cosmos_key, connection_verify=False)
    container = client.get_database_client(database).get_container_client("sessions")
    item = container.read_item(session_id, partition_key=session_id)
    container.replace_item(session_id, {**item, **{k: v.isoformat() for k, v in fields.items()}})


def test_sessions_expire_when_idle_or_too_old(tools_host: HostProcess, stack: Endpoints) -> None:
    database = tools_host.env["COSMOS_DATABASE"]
    idle, old = verified_caller(tools_host, 2), verified_caller(tools_host, 3)
    now = datetime.now(UTC)
    _backdate(stack, database, idle.session_id, last_seen_at=now - timedelta(minutes=16))
    _backdate(stack, database, old.session_id, expires_at=now - timedelta(seconds=1))
    assert idle.call("list_products")[0] == 401 and old.call("list_products")[0] == 401
    client = CosmosClient(stack.cosmos_endpoint, credential=stack.cosmos_key, connection_verify=False)
    stored = client.get_database_client(database).get_container_client("sessions").read_item(
        idle.session_id, partition_key=idle.session_id)
    assert stored["ttl"] > 4 * 3600 and "token" not in json.dumps(stored).replace("token_sha256", "")


def test_identified_is_not_verified(tools_host: HostProcess) -> None:
    me = customers(tools_host, 5)[4]
    caller = Caller(tools_host, phone=me["phone"])
    assert caller.call("list_products")[1]["ok"]  # public tools work at once
    status, refused = caller.call("get_customer_profile")
    assert status == 200 and refused["needs_verification"] and "verify who you are" in refused["error"]
    assert caller.call("get_purchase_history")[1]["needs_verification"]
    assert "postal code" in caller.call("verify_caller", postal_code=me["address"]["postal_code"])[1]["error"]
    wrong = caller.call("verify_caller", postal_code=me["address"]["postal_code"], date_of_birth="1900-01-01")[1]
    assert not wrong["ok"] and "do not match" in wrong["error"]
    assert caller.call("get_customer_profile")[1]["needs_verification"]
    caller.verify()
    assert caller.call("get_customer_profile")[1]["result"]["id"] == me["id"]


def test_verification_attempts_are_limited(tools_host: HostProcess) -> None:
    me = customers(tools_host, 6)[5]
    caller = Caller(tools_host, customer_id=me["id"])
    for _ in range(3):
        assert not caller.call("verify_caller", postal_code="00000", date_of_birth="1900-01-01")[1]["ok"]
    locked = caller.call("verify_caller", postal_code=me["address"]["postal_code"], date_of_birth=me["date_of_birth"])
    assert not locked[1]["ok"] and "too many" in locked[1]["error"]
    assert caller.call("get_customer_profile")[1]["needs_verification"]


def test_a_tool_never_acts_for_another_customer(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 0)
    theirs = customers(tools_host, 2)[1]
    move = {"street": "1 Evil Road", "postal_code": "666", "city": "Nowhere", "country": "Nowhere"}
    status, refused = caller.call("update_customer_address", customer_id=theirs["id"], confirmed=True, **move)
    assert status == 200 and refused["refused"] and "verified caller" in refused["error"]
    assert customer(tools_host, theirs["id"])["address"] == theirs["address"]
    assert caller.call("get_purchase_history", customer_id=theirs["id"])[1]["refused"]


def test_mistyped_arguments_are_named_and_nothing_is_written(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 2)
    mine = customer(tools_host, caller.customer_id)
    status, invalid = caller.call("update_customer_address", stret="12 Harbour Street", postal_code="8001",
                                  city="Zurich", country="Switzerland", confirmed="sure")
    assert status == 400
    assert {f["field"] for f in invalid["fields"]} == {"stret", "street", "confirmed"}
    assert customer(tools_host, mine["id"])["address"] == mine["address"]
    assert caller.call("no_such_tool")[0] == 404
    assert caller.call("list_products", call_id="has space")[0] == 400


def test_a_change_needs_a_confirm_in_a_later_turn(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 3)
    mine = customer(tools_host, caller.customer_id)
    move = {"street": "12 Harbour Street", "postal_code": "8001", "city": "Zurich", "country": "Switzerland"}
    # A brain that confirms at once, in the same turn: nothing happens.
    _, eager = caller.call("update_customer_address", confirmed=True, **move)
    assert eager["result"]["status"] == "confirmation_required"
    assert eager["result"]["read_back"] == "12 Harbour Street, 8001 Zurich, Switzerland"
    _, again = caller.call("update_customer_address", confirmed=True, **move)
    assert again["result"]["status"] == "confirmation_required"
    assert customer(tools_host, mine["id"])["address"] == mine["address"]
    # The caller answers; a changed detail is a new proposal, not the confirmation of the old one.
    caller.next_turn()
    _, changed = caller.call("update_customer_address", confirmed=True, **{**move, "street": "13 Harbour Street"})
    assert changed["result"]["status"] == "confirmation_required"
    assert customer(tools_host, mine["id"])["address"] == mine["address"]
    done = caller.confirm("update_customer_address", **move)
    assert done["result"]["status"] == "updated"
    stored = customer(tools_host, mine["id"])
    assert stored["address"] == move and stored["previous_addresses"][-1] == mine["address"]
    # The proposal is used up: confirming again without a new read-back does nothing.
    caller.next_turn()
    assert caller.call("update_customer_address", confirmed=True, **move)[1]["result"]["status"] == \
        "confirmation_required"


def test_an_order_checks_stock_asks_first_and_is_placed_once(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 4)
    _, catalog = caller.call("list_products")
    scarce = min(catalog["result"], key=lambda p: p["in_stock"])
    assert scarce["in_stock"] < 20  # so that more than is in stock is a valid quantity
    _, short = caller.call("create_order", product_id=scarce["id"], quantity=scarce["in_stock"] + 1, confirmed=True)
    assert short["refused"] and f"only {scarce['in_stock']}" in short["error"]
    chosen = max(catalog["result"], key=lambda p: p["in_stock"])
    placed = caller.confirm("create_order", call_id="call-7", product_id=chosen["id"], quantity=2)
    assert placed["result"]["status"] == "ordered"
    retried = caller.call("create_order", call_id="call-7", product_id=chosen["id"], quantity=2, confirmed=True)[1]
    assert retried["result"] == placed["result"]
    assert product(tools_host, chosen["id"])["stock"] == chosen["in_stock"] - 2
    _, history = caller.call("get_purchase_history")
    orders = [p for p in history["result"] if p["id"] == placed["result"]["order"]["id"]]
    assert len(orders) == 1 and orders[0]["quantity"] == 2 and orders[0]["status"] == "ordered"


def test_fifty_concurrent_retries_of_one_order(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 5)
    chosen = max(caller.call("list_products")[1]["result"], key=lambda p: p["in_stock"])
    _, asked = caller.call("create_order", product_id=chosen["id"], quantity=1)
    assert asked["result"]["status"] == "confirmation_required"
    caller.next_turn()

    def retry(i: int) -> tuple[int, dict]:  # every fifth one with other arguments under the same id
        return caller.call("create_order", call_id="order-50", product_id=chosen["id"], quantity=1 + (i % 5 == 4),
                           confirmed=True)

    # The first delivery claims the read-back; its 50 retries then race each other (before any claim, a call
    # with other details is not a retry but a new read-back, which is what a changed detail must get).
    first = retry(0)
    with ThreadPoolExecutor(max_workers=25) as pool:
        answers = [first, *pool.map(retry, range(1, 50))]
    same = [body for status, body in answers if status == 200]
    conflicts = [status for status, _ in answers if status == 409]
    placed = [b for b in same if b["ok"] and b["result"]["status"] == "ordered"]
    assert len(conflicts) == 10 and len(placed) == 40
    assert len({json.dumps(b["result"], sort_keys=True) for b in placed}) == 1
    assert product(tools_host, chosen["id"])["stock"] == chosen["in_stock"] - 1
    order_id = placed[0]["result"]["order"]["id"]
    assert [p["id"] for p in caller.call("get_purchase_history")[1]["result"]].count(order_id) == 1


def test_a_host_killed_between_the_steps_of_an_order(tools_host: HostProcess) -> None:
    """SIGKILL at several moments while confirmed orders run; after a restart each is placed once."""
    caller = verified_caller(tools_host, 6)
    chosen = max(caller.call("list_products")[1]["result"], key=lambda p: p["in_stock"])
    orders = []
    for i, delay in enumerate((0.0, 0.01, 0.02, 0.05, 0.1)):
        call_id = f"crash-{i}"
        _, asked = caller.call("create_order", product_id=chosen["id"], quantity=1)
        assert asked["result"]["status"] == "confirmation_required"
        caller.next_turn()
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_swallow, caller.call, "create_order", call_id, product_id=chosen["id"], quantity=1,
                        confirmed=True)
            time.sleep(delay)
            tools_host.kill()
        tools_host.start()
        done = caller.call("create_order", call_id, product_id=chosen["id"], quantity=1, confirmed=True)[1]
        assert done["ok"] and done["result"]["status"] == "ordered", done
        orders.append("ord-" + hashlib.sha256(f"{caller.session_id}:{call_id}".encode()).hexdigest()[:16])
    history = [p["id"] for p in caller.call("get_purchase_history")[1]["result"]]
    assert all(history.count(order) == 1 for order in orders)
    assert product(tools_host, chosen["id"])["stock"] == chosen["in_stock"] - len(orders)


def _swallow(function: Callable[..., object], *args: object, **kwargs: object) -> None:
    with contextlib.suppress(httpx.TransportError):  # the host dies under the request
        function(*args, **kwargs)


def test_email_goes_only_to_the_address_on_file_and_arrives_once(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 7)
    me = customer(tools_host, caller.customer_id)
    stranger = caller.call("send_email", to="stranger@example.net", subject="Hi", body="Your data", confirmed=True)
    assert stranger[1]["refused"] and "on file" in stranger[1]["error"]
    sent = caller.confirm("send_email", call_id="mail-1", subject="Your order", body="2 x tent, ordered today.")
    assert sent["result"] == {"status": "sent", "provider": "smtp", "to": me["email"], "subject": "Your order"}
    again = caller.call("send_email", "mail-1", subject="Your order", body="2 x tent, ordered today.",
                        confirmed=True)[1]  # the media path retried the same call
    assert again["result"] == sent["result"]
    key = hashlib.sha256(f"{caller.session_id}:mail-1".encode()).hexdigest()[:16]
    with tools_host.client("master") as http:  # what the local SMTP server received
        received = [m for m in http.get("/api/admin/outbox", params={"limit": 100}).json()["items"]
                    if m["message_id"].startswith(f"<mail-{key}@")]
    assert [(m["to"], m["subject"], m["body"]) for m in received] == [
        (me["email"], "Your order", "2 x tent, ordered today.")]


def test_knowledge_and_web_search_are_public(tools_host: HostProcess) -> None:
    caller = Caller(tools_host, customer_id=customers(tools_host, 1)[0]["id"])
    with tools_host.client("master") as http:
        http.post("/api/admin/documents", files={"file": ("FAQ.md", b"# FAQ\n\nWe match lower prices from major "
                                                          b"retailers within 14 days of purchase.", "text/markdown")})
    grounded = wait_for(lambda: (r := caller.call("search_knowledge_base", query="Do you match prices?")[1])
                        ["result"]["grounded"] and r)
    assert grounded["result"]["passages"][0]["citation"] == "FAQ.md, page 1"
    _, news = caller.call("web_search", query="latest news about Contoso Outdoor")
    assert news["result"]["provider"] == "offline"
    assert "Contoso Outdoor" in news["result"]["results"][0]["title"]
    assert news["result"]["results"][0]["site"] == "contoso-outdoor.example"


def test_the_registered_activities_are_the_tools() -> None:
    from blueprints.tools import TOOL_NAMES
    from shared.tools.runner import all_tools

    assert set(TOOL_NAMES) == set(all_tools())
    assert all(spec.schema()["function"]["parameters"]["type"] == "object" for spec in all_tools().values())
    graded = {name for name, spec in all_tools().items() if spec.personal}
    assert graded == {"get_customer_profile", "update_customer_address", "get_purchase_history", "create_order",
                      "send_email", "get_order_status", "cancel_order", "request_return", "update_contact"}


def test_each_tool_call_is_recorded_on_the_sessions_orchestration(tools_host: HostProcess) -> None:
    caller = verified_caller(tools_host, 8)
    theirs = customers(tools_host, 2)[1]
    caller.call("get_customer_profile")
    caller.call("get_purchase_history", customer_id=theirs["id"])  # refused, and recorded as such

    def status() -> dict:
        with tools_host.client("system") as http:
            return http.get(f"/runtime/webhooks/durabletask/instances/{caller.orchestration}").json()

    recorded = wait_for(lambda: (s := status())["customStatus"]["events"] == 3 and s)["customStatus"]
    assert recorded["recent_tools"] == [{"name": "verify_caller", "ok": True},
                                        {"name": "get_customer_profile", "ok": True},
                                        {"name": "get_purchase_history", "ok": False}]
    assert recorded["refused"] == 1
    with tools_host.client("service") as http:  # the caller hangs up
        assert http.post("/api/sessions/end", headers=caller.headers).status_code == 202
    ended = wait_for(lambda: (s := status())["runtimeStatus"] == "Completed" and s)
    assert ended["output"]["status"] == "ended"
