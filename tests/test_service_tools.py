"""The service tools callers ask for, through POST /api/tools/{name} on a real host: order status, cancelling,
returns, contact changes, complaints. Each: unverified refused, only the caller's own orders, read back first
and carried out once on a confirm in a later turn, retries of one tool-call id changing the data once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from azure.cosmos import ContainerProxy, CosmosClient

from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host
from tests.test_tools import COMPANY, Caller, customer, customers, product

PERSONAL = ("get_order_status", "cancel_order", "request_return", "update_contact")


@pytest.fixture(scope="module")
def service_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    host = product_host(tmp_path_factory.mktemp("service-tools"), stack.as_settings())
    host.start()
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    yield host
    host.stop()


def container(host: HostProcess, stack: Endpoints, name: str) -> ContainerProxy:
    client = CosmosClient(stack.cosmos_endpoint, credential=stack.cosmos_key, connection_verify=False)
    return client.get_database_client(host.env["COSMOS_DATABASE"]).get_container_client(name)


def verified(host: HostProcess, index: int) -> Caller:
    caller = Caller(host, customer_id=customers(host, index + 1)[index]["id"])
    caller.verify()
    return caller


def put_order(host: HostProcess, stack: Endpoints, caller: Caller, order_id: str, *, status: str, age: timedelta,
              delivered_age: timedelta | None = None) -> dict[str, Any]:
    """An order of the caller's as the shop's systems would have recorded it, placed `age` ago."""
    catalog = caller.call("list_products")[1]["result"]
    chosen = max(catalog, key=lambda p: p["in_stock"])
    now = datetime.now(UTC)
    order = {"id": order_id, "customer_id": caller.customer_id, "product_id": chosen["id"], "quantity": 2,
             "unit_price": chosen["price"], "status": status, "purchased_at": (now - age).isoformat(),
             "delivered_at": (now - delivered_age).isoformat() if delivered_age else None}
    container(host, stack, "purchases").upsert_item(order)
    return order


def cases_of(host: HostProcess, stack: Endpoints, customer_id: str) -> list[dict[str, Any]]:
    return list(container(host, stack, "cases").query_items("SELECT * FROM c", partition_key=customer_id))


def confirmed_retries(caller: Caller, tool: str, call_id: str, count: int, **arguments: object) -> list[dict]:
    """The read-back, the caller's yes, then `count` deliveries of one confirmed call, most of them at once."""
    _, asked = caller.call(tool, **arguments)
    assert asked["ok"] and asked["result"]["status"] == "confirmation_required", asked
    caller.next_turn()
    first = caller.call(tool, call_id, confirmed=True, **arguments)[1]
    with ThreadPoolExecutor(max_workers=8) as pool:
        rest = list(pool.map(lambda _: caller.call(tool, call_id, confirmed=True, **arguments)[1], range(count - 1)))
    return [first, *rest]


def test_an_unverified_caller_is_refused_every_personal_service_tool(service_host: HostProcess) -> None:
    caller = Caller(service_host, customer_id=customers(service_host, 1)[0]["id"])
    asks = {"get_order_status": {"order_number": "pur-00000000"}, "cancel_order": {"order_number": "pur-00000000"},
            "request_return": {"order_number": "pur-00000000", "reason": "too small"},
            "update_contact": {"email": "new@example.com"}}
    for tool in PERSONAL:
        status, refused = caller.call(tool, **asks[tool])
        assert status == 200 and refused["needs_verification"], (tool, refused)
    # A complaint needs no verification (an angry caller is heard), but is still read back first.
    _, complaint = caller.call("escalate_complaint", reason="nobody called me back", confirmed=True)
    assert complaint["result"]["status"] == "confirmation_required"


def test_another_customers_order_is_refused_and_left_alone(service_host: HostProcess, stack: Endpoints) -> None:
    mine, theirs = verified(service_host, 0), verified(service_host, 1)
    order = put_order(service_host, stack, theirs, "pur-0ther0001", status="ordered", age=timedelta(minutes=5))
    for tool, extra in (("get_order_status", {}), ("cancel_order", {"confirmed": True}),
                        ("request_return", {"reason": "mine now", "confirmed": True})):
        _, refused = mine.call(tool, order_number=order["id"], **extra)
        assert refused["refused"] and "your own account" in refused["error"], (tool, refused)
    mine.next_turn()
    assert mine.call("cancel_order", order_number=order["id"], confirmed=True)[1]["refused"]
    stored = container(service_host, stack, "purchases").read_item(order["id"], partition_key=theirs.customer_id)
    assert stored["status"] == "ordered" and not cases_of(service_host, stack, theirs.customer_id)


def test_a_cancellation_is_read_back_then_done_once_and_the_stock_comes_back_once(service_host: HostProcess) -> None:
    caller = verified(service_host, 2)
    chosen = max(caller.call("list_products")[1]["result"], key=lambda p: p["in_stock"])
    placed = caller.confirm("create_order", call_id="order-c1", product_id=chosen["id"], quantity=3)
    order_id = placed["result"]["order"]["id"]
    assert product(service_host, chosen["id"])["stock"] == chosen["in_stock"] - 3
    _, status = caller.call("get_order_status", order_number=order_id.upper())  # as typed: case does not matter
    assert status["result"]["status"] == "ordered" and status["result"]["cancel"] == "possible"
    # Confirmed in the turn it is read back: nothing happens.
    _, eager = caller.call("cancel_order", order_number=order_id, confirmed=True)
    assert eager["result"]["status"] == "confirmation_required"
    assert order_id[4:8] + " " + order_id[8:12] in eager["result"]["read_back"]  # the number in groups
    assert product(service_host, chosen["id"])["stock"] == chosen["in_stock"] - 3
    answers = confirmed_retries(caller, "cancel_order", "cancel-c1", 12, order_number=order_id)
    assert all(a["ok"] and a["result"]["status"] == "cancelled" for a in answers), answers
    assert len({json.dumps(a["result"], sort_keys=True) for a in answers}) == 1
    assert product(service_host, chosen["id"])["stock"] == chosen["in_stock"]  # put back once, not twelve times
    caller.next_turn()
    again = caller.call("cancel_order", "cancel-c2", order_number=order_id, confirmed=True)[1]
    assert again["refused"] and "already cancelled" in again["error"]
    assert product(service_host, chosen["id"])["stock"] == chosen["in_stock"]


def test_a_cancellation_outside_the_policy_is_refused_with_the_reason(service_host: HostProcess,
                                                                      stack: Endpoints) -> None:
    caller = verified(service_host, 3)
    late = put_order(service_host, stack, caller, "pur-1a7e0001", status="ordered", age=timedelta(hours=2))
    shipped = put_order(service_host, stack, caller, "pur-5b1e0001", status="shipped", age=timedelta(minutes=10))
    stock = product(service_host, late["product_id"])["stock"]
    _, refused = caller.call("cancel_order", order_number=late["id"])
    assert refused["refused"] and "within one hour of purchase" in refused["error"]
    _, refused = caller.call("cancel_order", order_number=shipped["id"])
    assert refused["refused"] and "already shipped" in refused["error"] and "return" in refused["error"]
    assert product(service_host, late["product_id"])["stock"] == stock


def test_a_return_opens_one_case_and_only_within_the_return_window(service_host: HostProcess,
                                                                    stack: Endpoints) -> None:
    caller = verified(service_host, 4)
    recent = put_order(service_host, stack, caller, "pur-de11000a", status="delivered", age=timedelta(days=6),
                       delivered_age=timedelta(days=3))
    old = put_order(service_host, stack, caller, "pur-de11000b", status="delivered", age=timedelta(days=45),
                    delivered_age=timedelta(days=40))
    waiting = put_order(service_host, stack, caller, "pur-de11000c", status="shipped", age=timedelta(days=2))
    assert "30 days" in caller.call("request_return", order_number=old["id"], reason="too big")[1]["error"]
    assert "not been delivered" in caller.call("request_return", order_number=waiting["id"], reason="x")[1]["error"]
    answers = confirmed_retries(caller, "request_return", "return-r1", 6, order_number=recent["id"],
                                reason="the zip broke", resolution="exchange")
    assert all(a["ok"] and a["result"]["status"] == "opened" for a in answers), answers
    assert "replacement" in answers[0]["result"]["next_step"]
    opened = cases_of(service_host, stack, caller.customer_id)
    assert [(c["kind"], c["order_id"], c["resolution"], c["reason"]) for c in opened] == [
        ("return", recent["id"], "exchange", "the zip broke")]
    caller.next_turn()  # asked again, by another call: the open case is named, no second one
    again = caller.call("request_return", "return-r2", order_number=recent["id"], reason="again")[1]
    assert again["refused"] and "already open" in again["error"]
    assert len(cases_of(service_host, stack, caller.customer_id)) == 1


def test_a_contact_change_is_checked_read_back_spoken_and_saved_once(service_host: HostProcess) -> None:
    caller = verified(service_host, 5)
    before = customer(service_host, caller.customer_id)
    for wrong in ({"email": "maria@@example"}, {"phone": "12"}, {}):
        _, refused = caller.call("update_contact", **wrong)
        assert refused["refused"], (wrong, refused)
    new_email = "new.address@example.org"
    _, asked = caller.call("update_contact", email=new_email)
    assert asked["result"]["read_back"] == "changing your email to new dot address at example dot org"
    answers = confirmed_retries(caller, "update_contact", "contact-1", 4, email=new_email)
    assert all(a["result"] == {"status": "updated", "email": new_email, "phone": before["phone"]} for a in answers)
    after = customer(service_host, caller.customer_id)
    assert after["email"] == new_email and after["phone"] == before["phone"]


def test_a_phone_number_without_its_country_code_is_in_the_callers_country(service_host: HostProcess) -> None:
    import phonenumbers

    caller = verified(service_host, 6)
    mine = phonenumbers.parse(customer(service_host, caller.customer_id)["phone"])
    national = phonenumbers.example_number(phonenumbers.region_code_for_number(mine))
    said = phonenumbers.format_number(national, phonenumbers.PhoneNumberFormat.NATIONAL)
    wanted = phonenumbers.format_number(national, phonenumbers.PhoneNumberFormat.E164)
    done = caller.confirm("update_contact", call_id="phone-1", phone=said)
    assert done["result"]["phone"] == wanted
    assert customer(service_host, caller.customer_id)["phone"] == wanted


def test_a_complaint_is_recorded_once_with_its_reason_and_what_happens_next(service_host: HostProcess,
                                                                            stack: Endpoints) -> None:
    caller = Caller(service_host, customer_id=customers(service_host, 8)[7]["id"])
    answers = confirmed_retries(caller, "escalate_complaint", "complaint-1", 5, reason="the courier was rude")
    assert len({json.dumps(a["result"], sort_keys=True) for a in answers}) == 1
    assert "one business day" in answers[0]["result"]["next_step"]
    assert answers[0]["result"]["transfer_possible"] is True  # a phone session: the agent may transfer too
    opened = cases_of(service_host, stack, caller.customer_id)
    assert [(c["kind"], c["reason"], c["status"]) for c in opened] == [("complaint", "the courier was rude", "open")]
    assert "session_id" not in answers[0]["result"]["case"]


@pytest.mark.parametrize("customer_id", [".", "..", "-", ":."])
def test_an_id_that_is_only_punctuation_is_refused_before_any_lookup(service_host: HostProcess,
                                                                     customer_id: str) -> None:
    with service_host.client("service") as http:  # "." and ".." are path segments to a REST store, not ids
        opened = http.post("/api/sessions", json={"channel": "chat", "customer_id": customer_id})
    assert opened.status_code == 400 and "customer_id" in opened.text
