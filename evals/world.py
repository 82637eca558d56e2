"""The tools of one eval conversation, answered from an in-memory company under the tool layer's rules.

Arguments are validated against the real tools' schemas; personal tools need `verify_caller` first
(two facts); a side effect is read back first and carried out only when called again with
`confirmed=true` and the same arguments in a later caller turn; the caller's own record only.
What was carried out is kept in `effects` and in the world's data, which the scenario checks.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from local import sample_corpus
from shared.data.order_policy import cancel_refusal, return_refusal
from shared.knowledge.base import KnowledgeBase
from shared.knowledge.embeddings import Embedder
from shared.knowledge.index import Hit, LocalHybridIndex, always_current
from shared.settings import Settings
from shared.tools import cases
from shared.tools.contact import ContactError, contact_read_back, e164, valid_email
from shared.tools.knowledge import grounding
from shared.tools.orders import cancel_read_back, not_own_order, order_id_of
from shared.tools.registry import ToolResult
from shared.tools.runner import checked
from shared.websearch.port import WebPage

WORLD = Path(__file__).parent / "world.yaml"
POLICY = Settings.model_construct()  # the order policy's default windows, whatever this machine's settings say
OTHER_CUSTOMER = "I can only act for the verified caller of this conversation"


def moment(text: str) -> datetime:
    """A date or a time of the world's data, in UTC."""
    found = datetime.fromisoformat(text)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


@dataclass
class World:
    company: str
    now: datetime
    customers: dict[str, dict[str, Any]]
    products: dict[str, dict[str, Any]]
    purchases: list[dict[str, Any]]
    outbox: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path = WORLD) -> World:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for customer in raw["customers"]:  # what the agents' instructions name, as the product's records hold it
            customer.setdefault("loyalty_tier", "standard")
        return cls(raw["company"], moment(raw["now"]), {c["id"]: c for c in raw["customers"]},
                   {p["id"]: p for p in raw["products"]}, raw["purchases"])

    def copy(self) -> World:
        return copy.deepcopy(self)


class Knowledge:
    """The sample corpus in a real local index, searched as the tool searches it: one passage a page,
    reranked, under the local index's relevance floor. Built on the first search (~2 s)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._folder = tempfile.TemporaryDirectory(prefix="eval-knowledge-")
        self._base: KnowledgeBase | None = None

    async def search(self, query: str, top: int) -> list[Hit]:
        if self._base is None:
            folder = Path(self._folder.name)
            base = KnowledgeBase(self._embedder, LocalHybridIndex(folder / "index.sqlite3", self._embedder.dimensions),
                                 Settings().local_search_min_relevance)
            for path in sample_corpus.build(folder / "corpus"):
                await base.ingest(path.name, path.read_bytes(), always_current)
            self._base = base
        return await self._base.search(query, top)


def _digest(name: str, arguments: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([name, arguments], sort_keys=True, default=str).encode()).hexdigest()


class WorldTools:
    """The ToolPort of one conversation with one caller."""

    def __init__(self, world: World, customer_id: str, knowledge: Knowledge) -> None:
        self.world, self.customer_id, self._knowledge = world, customer_id, knowledge
        self.verified, self.failures, self.caller_turns = False, 0, 0
        self._proposals: dict[str, tuple[str, int]] = {}  # tool -> (digest of arguments, caller turn)
        self.effects: list[tuple[str, dict[str, Any]]] = []

    async def caller_turn(self) -> None:
        self.caller_turns += 1

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        self._proposals = {t: p for t, p in self._proposals.items() if f"prop-{p[0][:12]}" not in proposal_ids}

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        found = checked(name, arguments, self.verified)  # the tool layer's own checks
        if isinstance(found, ToolResult):
            return found
        spec, valid = found
        given = valid.model_dump(mode="json")
        if given.get("customer_id") not in (None, self.customer_id):
            return ToolResult(ok=False, refused=True, error=OTHER_CUSTOMER)
        confirmed = given.pop("confirmed", False)
        try:
            if not spec.side_effect:
                return ToolResult(ok=True, result=await getattr(self, name)(**given))
            read_back = getattr(self, f"check_{name}")(**given)
        except RefusedError as refused:
            return ToolResult(ok=False, refused=True, error=str(refused))
        digest = _digest(name, given)
        waiting = self._proposals.get(name)
        if confirmed and waiting is not None and waiting[0] == digest and waiting[1] < self.caller_turns:
            del self._proposals[name]
            self.effects.append((name, given))
            return ToolResult(ok=True, result=getattr(self, name)(**given))
        self._proposals[name] = (digest, self.caller_turns)
        return ToolResult(ok=True, result={"status": "confirmation_required", "read_back": read_back,
                                           "proposal_id": f"prop-{digest[:12]}"})

    @property
    def me(self) -> dict[str, Any]:
        return self.world.customers[self.customer_id]

    # -- tools ------------------------------------------------------------------------------------

    async def verify_caller(self, postal_code: str | None = None, date_of_birth: str | None = None,
                            order_number: str | None = None) -> dict[str, Any]:
        if self.verified:
            return {"verified": True}
        if self.failures >= 3:
            raise RefusedError("I cannot verify you after too many wrong answers; I can transfer you to a colleague")
        checks = []
        if postal_code is not None:
            checks.append(_postal(postal_code) == _postal(self.me["address"]["postal_code"]))
        if date_of_birth is not None:
            checks.append(date.fromisoformat(date_of_birth) == date.fromisoformat(self.me["date_of_birth"]))
        if order_number is not None:
            checks.append(any(p["id"] == order_number.strip().lower() and p["customer_id"] == self.customer_id
                              for p in self.world.purchases))
        if len(checks) < 2:
            raise RefusedError("I need two of these: your postal code, your date of birth, or the number of one of "
                          "your orders")
        if not all(checks):
            self.failures += 1
            raise RefusedError(f"those details do not match our records; {3 - self.failures} attempt(s) left")
        self.verified = True
        return {"verified": True, "first_name": self.me["first_name"]}

    async def get_customer_profile(self, customer_id: str | None = None) -> dict[str, Any]:
        return {k: v for k, v in self.me.items() if k != "date_of_birth"}

    def check_update_customer_address(self, street: str, postal_code: str, city: str, country: str,
                                      customer_id: str | None = None) -> str:
        return f"{street}, {postal_code} {city}, {country}"

    def update_customer_address(self, street: str, postal_code: str, city: str, country: str,
                                customer_id: str | None = None) -> dict[str, Any]:
        self.me["address"] = {"street": street, "postal_code": postal_code, "city": city, "country": country}
        return {"status": "updated", "address": self.me["address"]}

    async def get_purchase_history(self, customer_id: str | None = None) -> list[dict[str, Any]]:
        mine = [p for p in self.world.purchases if p["customer_id"] == self.customer_id]
        return [{**p, "total": p["quantity"] * p["unit_price"]}
                for p in sorted(mine, key=lambda p: p["purchased_at"], reverse=True)]

    async def list_products(self, category: str | None = None) -> list[dict[str, Any]]:
        return [_offer(p) for p in self.world.products.values()
                if p["stock"] > 0 and (category is None or p["category"].lower() == category.lower())]

    async def get_product(self, product_id: str) -> dict[str, Any]:
        if product_id not in self.world.products:
            raise RefusedError(f"there is no product {product_id}")
        return {**_offer(self.world.products[product_id]), "description": "A product of the catalog."}

    def check_create_order(self, product_id: str, quantity: int, customer_id: str | None = None) -> str:
        product = self.world.products.get(product_id)
        if product is None:
            raise RefusedError(f"there is no product {product_id}")
        if product["stock"] < quantity:
            raise RefusedError(f"only {product['stock']} of {product['name']} in stock")
        return f"{quantity} x {product['name']} at {product['price']:.2f} USD each"

    def create_order(self, product_id: str, quantity: int, customer_id: str | None = None) -> dict[str, Any]:
        product = self.world.products[product_id]
        product["stock"] -= quantity
        order = {"id": f"ord-{len(self.effects):04d}{self.customer_id[-2:]}", "customer_id": self.customer_id,
                 "product_id": product_id, "quantity": quantity, "unit_price": product["price"], "status": "ordered",
                 "purchased_at": self.world.now.isoformat()}
        self.world.purchases.append(order)
        return {"status": "ordered", "order": {**order, "total": quantity * product["price"]}}

    def _order(self, order_number: str) -> dict[str, Any]:
        order_id = order_id_of(order_number)
        found = next((p for p in self.world.purchases if p["id"] == order_id and p["customer_id"] == self.customer_id),
                     None)
        if found is None:
            raise RefusedError(not_own_order(order_id))
        return found

    def _cancel_refusal(self, order: dict[str, Any]) -> str | None:
        return cancel_refusal(order["status"], moment(order["purchased_at"]), self.world.now,
                              POLICY.cancel_window_minutes)

    def _return_refusal(self, order: dict[str, Any]) -> str | None:
        delivered = moment(order["delivered_at"]) if order.get("delivered_at") else None
        return return_refusal(order["status"], delivered, moment(order["purchased_at"]), self.world.now,
                              POLICY.return_window_days)

    async def get_order_status(self, order_number: str) -> dict[str, Any]:
        order = self._order(order_number)
        return {**order, "total": order["quantity"] * order["unit_price"],
                "product": self.world.products[order["product_id"]]["name"],
                "cancel": self._cancel_refusal(order) or "possible",
                "return": self._return_refusal(order) or "possible"}

    def check_cancel_order(self, order_number: str) -> str:
        order = self._order(order_number)
        if refusal := self._cancel_refusal(order):
            raise RefusedError(refusal)
        return cancel_read_back(order["id"], order["quantity"], self.world.products[order["product_id"]]["name"],
                                order["quantity"] * order["unit_price"], "USD")

    def cancel_order(self, order_number: str) -> dict[str, Any]:
        order = self._order(order_number)
        order["status"] = "cancelled"
        self.world.products[order["product_id"]]["stock"] += order["quantity"]
        total = order["quantity"] * order["unit_price"]
        return {"status": "cancelled", "order": {**order, "total": total}, "refund": total, "currency": "USD"}

    def check_request_return(self, order_number: str, reason: str, resolution: str = "refund") -> str:
        order = self._order(order_number)
        case_id = cases.return_case_id(self.customer_id, order["id"])
        if any(c["id"] == case_id for c in self.world.cases):
            raise RefusedError(cases.already_open(case_id))
        if refusal := self._return_refusal(order):
            raise RefusedError(refusal)
        return cases.return_read_back(order["id"], order["quantity"], self.world.products[order["product_id"]]["name"],
                                      total=order["quantity"] * order["unit_price"], currency="USD",
                                      resolution=resolution)

    def request_return(self, order_number: str, reason: str, resolution: str = "refund") -> dict[str, Any]:
        order = self._order(order_number)
        case = {"id": cases.return_case_id(self.customer_id, order["id"]), "customer_id": self.customer_id,
                "kind": "return", "reason": reason, "order_id": order["id"], "resolution": resolution,
                "status": "open"}
        self.world.cases.append(case)
        return {"status": "opened", "case": case, "next_step": cases.next_step(resolution)}

    def _contact(self, email: str | None, phone: str | None) -> tuple[str | None, str | None]:
        if email is None and phone is None:
            raise RefusedError("I need the new email address or phone number")
        try:
            return (valid_email(email) if email is not None else None,
                    e164(phone, self.me["phone"]) if phone is not None else None)
        except ContactError as wrong:
            raise RefusedError(str(wrong)) from None

    def check_update_contact(self, email: str | None = None, phone: str | None = None,
                             customer_id: str | None = None) -> str:
        return contact_read_back(*self._contact(email, phone))

    def update_contact(self, email: str | None = None, phone: str | None = None,
                       customer_id: str | None = None) -> dict[str, Any]:
        new_email, new_phone = self._contact(email, phone)
        self.me.update({k: v for k, v in (("email", new_email), ("phone", new_phone)) if v})
        return {"status": "updated", "email": self.me["email"], "phone": self.me["phone"]}

    def check_escalate_complaint(self, reason: str) -> str:
        return cases.complaint_read_back(reason)

    def escalate_complaint(self, reason: str) -> dict[str, Any]:
        case = {"id": f"case-{len(self.world.cases):04d}{self.customer_id[-2:]}00", "customer_id": self.customer_id,
                "kind": "complaint", "reason": reason, "status": "open"}
        self.world.cases.append(case)
        return {"status": "opened", "case": case, "next_step": cases.COMPLAINT_NEXT, "transfer_possible": False}

    def check_send_email(self, subject: str, body: str, to: str | None = None) -> str:
        if to is not None and to.lower() != self.me["email"].lower():
            raise RefusedError("I can only send email to the address we have on file for you")
        return f"an email to {self.me['email']} with the subject \"{subject}\""

    def send_email(self, subject: str, body: str, to: str | None = None) -> dict[str, Any]:
        self.world.outbox.append({"to": self.me["email"], "subject": subject, "body": body})
        return {"status": "outbox", "to": self.me["email"], "subject": subject}

    async def search_knowledge_base(self, query: str, top: int = 3) -> dict[str, Any]:
        return grounding(await self._knowledge.search(query, top))

    async def web_search(self, query: str, top: int = 3) -> dict[str, Any]:
        page = WebPage.of(f"{self.world.company} opens a store in Denver", "https://contoso-outdoor.example/news/denver",
                          f"{self.world.company} opened its twelfth store this autumn.")
        return {"provider": "offline", "summary": None, "results": [{**page.model_dump(), "citation": page.citation}]}

    async def summarize_conversation(self) -> dict[str, Any]:
        return {"summary": "You called us today; this is the summary of your call."}

    async def handoff(self, agent: str, reason: str) -> dict[str, Any]:
        return {"handoff": agent, "reason": reason}

    async def transfer_to_human(self, reason: str) -> dict[str, Any]:
        self.world.transfers.append(reason)
        return {"transfer": True, "reason": reason}

    async def end_call(self, reason: str) -> dict[str, Any]:
        return {"end_call": True, "reason": reason}


class RefusedError(Exception):
    """The tool will not act; the reason is said to the caller."""


def _postal(value: str) -> str:
    return re.sub(r"^(\d{5})\d{4}$", r"\1", re.sub(r"[\s-]", "", value).upper())


def _offer(product: dict[str, Any]) -> dict[str, Any]:
    return {"id": product["id"], "name": product["name"], "category": product["category"],
            "price": product["price"], "currency": "USD", "in_stock": product["stock"]}
