"""The deterministic offline generator: the same spec and seed always give the same company.

Every item is drawn from a random stream of its own, keyed on (seed, kind, index), so batches can
be generated in parallel, in any order, and again after a crash, always giving the same items.
Items that refer to others (a purchase's product, a conversation's order) regenerate the one item
they refer to from its own key, so they agree with it without any shared state.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from faker import Faker

from shared.data.models import (
    Address,
    Conversation,
    Customer,
    Outcome,
    Product,
    Purchase,
    PurchaseStatus,
    Sentiment,
    Turn,
)
from shared.synthetic import catalog
from shared.synthetic.spec import CompanySpec

# A fixed clock: the company's history runs from EPOCH to AS_OF whenever it is generated.
EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
AS_OF = EPOCH + timedelta(days=3 * 365)
SIGN_UP_DAYS = 2 * 365  # customers join in the first two years, so everyone has some history
LOCALE = "en_US"
COUNTRY = "United States"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: never a real mailbox
# Real-looking area codes with 555-0xxx numbers; 999 is left out, tests use it as "nobody".
AREA_CODES = ("212", "312", "415", "503", "617", "702", "808", "206", "303", "404", "512", "615")
AGENTS = ("router", "customer_data", "knowledge_base", "web_search", "executive_assistant")
T = TypeVar("T")


def customer_id(index: int) -> str:
    return f"cust-{index:05d}"


def product_id(index: int) -> str:
    return f"prod-{index:04d}"


def purchase_id(index: int) -> str:
    return f"pur-{index:06d}"


def conversation_id(index: int) -> str:
    return f"conv-{index:06d}"


def _index(item_id: str) -> int:
    """The index an id was made from: "prod-0007" -> 7."""
    return int(item_id.rsplit("-", 1)[1])


def clear_caches() -> None:
    """Forgets generated items (they are cached only because purchases and conversations look them up)."""
    for cached in (_customer, _product, _purchase, industry_of):
        cached.cache_clear()


# -- randomness --------------------------------------------------------------------------------

def _rng(seed: int, kind: str, index: int) -> random.Random:
    """A stream of its own per item; sha256 because `hash()` differs between processes."""
    digest = hashlib.sha256(f"{seed}:{kind}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


_fakers = threading.local()  # one per thread: reseeding a shared one would race; a new one per item is slow


def _faker(rng: random.Random) -> Faker:
    """This thread's Faker, reseeded for the item, so its names depend on the item's stream alone."""
    fake = getattr(_fakers, "fake", None)
    if fake is None:
        fake = _fakers.fake = Faker(LOCALE)
    fake.seed_instance(rng.getrandbits(64))
    return fake


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pick(rng: random.Random, options: tuple[T, ...]) -> T:
    return options[rng.randrange(len(options))]


def _at_business_hours(rng: random.Random, day: datetime) -> datetime:
    """A time on `day` between 08:00 and 20:00, as calls and orders mostly come in."""
    midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(hours=rng.randrange(8, 20), minutes=rng.randrange(60), seconds=rng.randrange(60))


def _day(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}"


@lru_cache(maxsize=256)
def industry_of(name: str) -> catalog.Industry:
    """The first industry with a keyword at the start of a word of `name`; the generic one otherwise."""
    lowered = name.lower()
    return next((i for i in catalog.INDUSTRIES if any(re.search(rf"\b(?:{k})", lowered) for k in i.keywords)),
                catalog.GENERIC)


# -- customers ---------------------------------------------------------------------------------

def generate_customers(spec: CompanySpec, start: int, count: int) -> list[Customer]:
    return [_customer(spec.seed, i) for i in range(start, start + count)]


@lru_cache(maxsize=4096)
def _customer(seed: int, index: int) -> Customer:
    rng = _rng(seed, "customers", index)
    fake = _faker(rng)
    first, last = fake.first_name(), fake.last_name()
    since = EPOCH + timedelta(days=rng.randrange(SIGN_UP_DAYS), minutes=rng.randrange(24 * 60))
    moves = rng.choices((0, 1, 2), weights=(75, 20, 5))[0]
    customer = Customer(
        id=customer_id(index), first_name=first, last_name=last, email=_email(rng, first, last, index),
        phone=_phone(rng, index), address=_address(fake), loyalty_tier=_tier(rng, since), customer_since=since,
        previous_addresses=[_address(fake) for _ in range(moves)],
    )
    # Drawn last, so that every other field stays what it was for this seed.
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return customer.model_copy(update={"date_of_birth": born})


def _email(rng: random.Random, first: str, last: str, index: int) -> str:
    # The handle ends in a letter and the index follows, so no two customers share an address.
    first, last = (re.sub(r"[^a-z]", "", n.lower()) or "customer" for n in (first, last))
    handle = _pick(rng, (f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}", f"{first}_{last}",
                         f"{last}.{first}"))
    return f"{handle}{index}@{_pick(rng, EMAIL_DOMAINS)}"


def _phone(rng: random.Random, index: int) -> str:
    # The index is the line number, so phones are unique for any area code (indexes stay below 10,000).
    return f"+1{_pick(rng, AREA_CODES)}555{index:04d}"


def _address(fake: Faker) -> Address:
    return Address(street=fake.street_address(), postal_code=fake.postcode(), city=fake.city(), country=COUNTRY)


def _tier(rng: random.Random, since: datetime) -> str:
    # Long-standing customers have had time to climb the tiers.
    years = (AS_OF - since).days / 365
    return _weighted(rng, {"standard": 60, "silver": 25, "gold": 4 + 4 * years, "platinum": 1 + years})


# -- products ----------------------------------------------------------------------------------

def generate_products(spec: CompanySpec, start: int, count: int) -> list[Product]:
    return [_product(spec.seed, spec.industry, i) for i in range(start, start + count)]


@lru_cache(maxsize=4096)
def _product(seed: int, industry: str, index: int) -> Product:
    trade = industry_of(industry)
    rng = _rng(seed, f"products:{trade.name}", index)  # another trade, other prices and stock
    category = _pick(rng, trade.categories)
    line = _pick(rng, category.lines)
    name = _product_name(rng, trade, line.noun, index)
    return Product(id=product_id(index), name=name, category=category.name,
                   description=_description(rng, trade, category, line, name), price=_price(rng, line),
                   stock=_stock(rng))


def _product_name(rng: random.Random, trade: catalog.Industry, noun: str, index: int) -> str:
    # The model number comes from the index: names are unique, and none is a prefix of another.
    edition = f" {_pick(rng, catalog.EDITIONS)}" if rng.random() < 0.3 else ""
    return f"{_pick(rng, trade.adjectives)} {noun} {_pick(rng, catalog.SERIES)}{100 + index}{edition}"


def _description(rng: random.Random, trade: catalog.Industry, category: catalog.Category, line: catalog.Line,
                 name: str) -> str:
    """An opening, two or three of material/feature/use in any order, then one or two terms."""
    feature, other = rng.sample(line.features, 2)
    noun = line.noun.lower()
    made = catalog.INCLUDED_SENTENCES if category.service else catalog.MATERIAL_SENTENCES
    middle = [_pick(rng, made).format(material=_pick(rng, line.materials)),
              _pick(rng, catalog.FEATURE_SENTENCES).format(feature=other),
              _pick(rng, catalog.USE_SENTENCES).format(use=_pick(rng, category.uses), noun=noun)]
    rng.shuffle(middle)
    care = category.care or trade.care
    terms = rng.sample(care, rng.randint(1, 2))
    opening = _pick(rng, catalog.OPENINGS).format(name=name, noun=noun, category=category.name.lower(),
                                                    feature=feature)
    return " ".join([opening, *middle[:rng.randint(2, 3)], *terms])


def _price(rng: random.Random, line: catalog.Line) -> float:
    # Log-uniform: a shop has more cheap items than expensive ones; shop-style endings.
    low, high = line.price_range
    whole = max(int(low), int(math.exp(rng.uniform(math.log(low), math.log(high)))))
    return round(whole + _pick(rng, (0.99, 0.99, 0.95, 0.49, 0.0)), 2)


def _stock(rng: random.Random) -> int:
    # Some sold out, some running low (so "only 3 left" happens), most well stocked.
    roll = rng.random()
    if roll < 0.1:
        return 0
    return rng.randrange(1, 20) if roll < 0.3 else rng.randrange(20, 501)


# -- purchases ---------------------------------------------------------------------------------

STATUS_WEIGHTS = {"delivered": 55, "shipped": 15, "ordered": 10, "returned": 12, "cancelled": 8}
PURCHASE_DRAWS = 24  # a call about an open order finds one in all but ~2% of calls (open orders are ~20%)


def generate_purchases(spec: CompanySpec, start: int, count: int) -> list[Purchase]:
    return [_purchase(spec.seed, spec.industry, spec.customers, spec.products, i) for i in range(start, start + count)]


@lru_cache(maxsize=16384)
def _purchase(seed: int, industry: str, customers: int, products: int, index: int) -> Purchase:
    rng = _rng(seed, "purchases", index)
    customer = _customer(seed, rng.randrange(customers))
    product = _product(seed, industry, rng.randrange(products))
    status = _weighted(rng, STATUS_WEIGHTS)
    return Purchase(id=purchase_id(index), customer_id=customer.id, product_id=product.id,
                    quantity=rng.choices((1, 2, 3, 4, 5), weights=(70, 18, 8, 2, 2))[0], unit_price=product.price,
                    status=PurchaseStatus(status), purchased_at=_purchase_time(rng, status, customer.customer_since))


def _purchase_time(rng: random.Random, status: str, since: datetime) -> datetime:
    # Orders still open are the recent ones; finished ones spread over the customer's history.
    if status in ("ordered", "shipped"):
        day = AS_OF - timedelta(days=rng.randrange(1, 3 if status == "ordered" else 8))
    else:
        day = since + timedelta(days=rng.randrange(1, (AS_OF - since).days - 10))
    return _at_business_hours(rng, day)


# -- conversations -----------------------------------------------------------------------------

def generate_conversations(spec: CompanySpec, start: int, count: int) -> list[Conversation]:
    return [_conversation(spec, index) for index in range(start, start + count)]


def _conversation(spec: CompanySpec, index: int) -> Conversation:
    rng = _rng(spec.seed, "conversations", index)
    topic = _pick_topic(rng)
    customer, product, purchase = _cast(rng, spec, topic)
    outcome = _weighted(rng, topic.outcomes)
    sentiment = _weighted(rng, catalog.SENTIMENT_BY_OUTCOME[outcome])
    started = _call_time(rng, customer, purchase)
    facts = _facts(rng, spec, customer=customer, product=product, purchase=purchase, started=started)
    transcript = _transcript(rng, topic, outcome, sentiment, facts)
    return Conversation(
        id=conversation_id(index), customer_id=customer.id, started_at=started,
        duration_seconds=_duration(rng, transcript, outcome), transcript=transcript,
        summary=_summary(rng, topic, outcome, facts), topic=topic.name,
        product_id=product.id if product else None, agents=list(dict.fromkeys(t.agent for t in transcript if t.agent)),
        sentiment=Sentiment(sentiment), outcome=Outcome(outcome),
    )


def _pick_topic(rng: random.Random) -> catalog.Topic:
    return rng.choices(catalog.TOPICS, weights=[t.weight for t in catalog.TOPICS])[0]


def _cast(rng: random.Random, spec: CompanySpec, topic: catalog.Topic
          ) -> tuple[Customer, Product | None, Purchase | None]:
    """Who calls, about which product and order: a call about an order is about a real purchase."""
    if topic.about_product and spec.purchases:
        purchase = _fitting_purchase(rng, spec, topic.statuses)
        product = _product(spec.seed, spec.industry, _index(purchase.product_id))
        return _customer(spec.seed, _index(purchase.customer_id)), product, purchase
    customer = _customer(spec.seed, rng.randrange(spec.customers))
    if topic.name == "address change":  # prefer someone who really moved, so history and call agree
        for _ in range(7):
            if customer.previous_addresses:
                break
            customer = _customer(spec.seed, rng.randrange(spec.customers))
    product = _product(spec.seed, spec.industry, rng.randrange(spec.products)) if topic.about_product else None
    return customer, product, None


def _fitting_purchase(rng: random.Random, spec: CompanySpec, statuses: tuple[str, ...]) -> Purchase:
    """A purchase whose status suits the topic (a return is about a delivered order), if a few draws find one."""
    def draw() -> Purchase:
        return _purchase(spec.seed, spec.industry, spec.customers, spec.products, rng.randrange(spec.purchases))

    purchase = draw()
    for _ in range(PURCHASE_DRAWS):
        if not statuses or purchase.status in statuses:
            break
        purchase = draw()
    return purchase


def _call_time(rng: random.Random, customer: Customer, purchase: Purchase | None) -> datetime:
    # At least a day after the order (or after joining), so every call follows what it is about.
    if purchase is None:
        return _at_business_hours(rng, customer.customer_since + timedelta(
            days=rng.randrange(1, (AS_OF - customer.customer_since).days)))
    soon = purchase.status in (PurchaseStatus.ORDERED, PurchaseStatus.SHIPPED)
    return _at_business_hours(rng, purchase.purchased_at + timedelta(days=rng.randrange(1, 5) if soon
                                                                     else rng.randrange(6, 30)))


def _facts(rng: random.Random, spec: CompanySpec, *, customer: Customer, product: Product | None,
           purchase: Purchase | None, started: datetime) -> dict[str, Any]:
    """Everything a line of the call may mention, so each template takes what it needs."""
    ordered = purchase.purchased_at if purchase else started - timedelta(days=rng.randrange(2, 9))
    delivered = ordered + timedelta(days=rng.randrange(2, 5))
    price = product.price if product else 0.0
    stock = product.stock if product else 0
    facts = {
        "company": spec.name, "first": customer.first_name, "last": customer.last_name, "email": customer.email,
        "street": customer.address.street, "postal_code": customer.address.postal_code,
        "city": customer.address.city, "tier": customer.loyalty_tier, "since": customer.customer_since.year,
        "product": product.name if product else "order", "category": product.category if product else "product",
        "price": f"${price:,.2f}", "order": purchase.id if purchase else f"#{rng.randrange(100000, 999999)}",
        "date": _day(ordered), "shipped": _day(ordered + timedelta(days=1)), "delivered": _day(delivered),
        "days": max(1, (started - delivered).days), "total": f"${purchase.total if purchase else price:,.2f}",
        "amount": f"${rng.randrange(5, 150)}.{_pick(rng, ('00', '49', '99'))}",
        "case": f"CS-{rng.randrange(10000, 99999)}", "weekday": _pick(rng, catalog.WEEKDAYS),
        "availability": f"we have {stock} in stock, and standard shipping takes three to five business days"
        if stock else "it's sold out, but I've set up an email alert for when it's back",
    }
    status = purchase.status.value if purchase else "ordered"
    facts["status_line"] = catalog.STATUS_LINES[status].format(**facts)
    return facts


def _transcript(rng: random.Random, topic: catalog.Topic, outcome: str, sentiment: str,
                facts: dict[str, Any]) -> list[Turn]:
    """Router greets and hands off; the specialist looks into it; it ends as the outcome says. 4-10 turns."""
    def agent(name: str, lines: tuple[str, ...]) -> Turn:
        return Turn(speaker="agent", agent=name, text=_pick(rng, lines).format(**facts))

    def caller(lines: tuple[str, ...]) -> Turn:
        return Turn(speaker="caller", text=_pick(rng, lines).format(**facts))

    specialist = topic.specialist
    turns = [agent("router", catalog.GREETINGS), caller(topic.caller)]
    if rng.random() < 0.5:
        turns += [agent("router", catalog.VERIFY_ASKS), caller(catalog.VERIFY_ANSWERS)]
    scenario = _pick(rng, topic.scenarios)
    turns += [agent("router", catalog.HANDOFFS[specialist]), agent(specialist, (scenario.probe,))]
    if scenario.probe.endswith("?") or rng.random() < 0.6:  # a question is always answered
        turns.append(caller((scenario.detail,)))
    if outcome == "abandoned":
        return [*turns, caller(catalog.ABANDONS)]
    answers = {"resolved": (scenario.resolve,), "follow_up": catalog.FOLLOW_UP_LINES,
               "escalated": catalog.ESCALATION_LINES}
    turns.append(agent(specialist, answers[outcome]))
    second = _second_agent(rng, topic, outcome)
    if second is not None:
        turns.append(agent(*second))
    turns.append(caller(catalog.CLOSINGS[sentiment]))
    if len(turns) < 10 and rng.random() < 0.7:
        turns.append(agent(turns[-2].agent or specialist, catalog.GOODBYES))
    return turns


def _second_agent(rng: random.Random, topic: catalog.Topic, outcome: str) -> tuple[str, tuple[str, ...]] | None:
    """A second specialist joins sometimes: the assistant to email next steps, or the topic's own helper."""
    assistant = "executive_assistant"
    if outcome in ("follow_up", "escalated") and topic.specialist != assistant and rng.random() < 0.6:
        return assistant, catalog.ASSISTANT_FOLLOW_UPS
    if topic.second is not None and rng.random() < 0.35:
        return topic.second, topic.second_lines
    return None


def _duration(rng: random.Random, transcript: list[Turn], outcome: str) -> int:
    # Longer calls have more turns; escalations include hold time.
    seconds = sum(rng.randrange(15, 75) for _ in transcript) + (rng.randrange(60, 300) if outcome == "escalated" else 0)
    return max(60, min(1200, seconds))


def _summary(rng: random.Random, topic: catalog.Topic, outcome: str, facts: dict[str, Any]) -> str:
    return _pick(rng, catalog.SUMMARIES).format(
        caller=f"{facts['first']} {facts['last']}", gist=topic.gist.format(**facts), topic=topic.name,
        outcome=_pick(rng, catalog.OUTCOME_PHRASES[outcome]))
