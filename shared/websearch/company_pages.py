"""The synthetic company's public web pages: its newsroom, its product pages and an about page.

Generated from the company record and its catalog, the same for the same company: what the
offline web search finds, so that a question about stores, repairs or a product gets a page
about that and not the same three headlines whatever is asked.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from shared.data.models import Product

# (slug, title, body): {company}, {industry}, {n}, {pct}, {cities}, {month} are filled per company.
NEWS = (
    ("new-stores", "{company} opens {n} new stores",
     "{company}, the {industry} retailer, opens {n} stores this spring in {cities}. Each store has a repair "
     "desk and a pick-up counter for online orders, and same-day delivery now reaches five more cities."),
    ("repair-programme", "{company} launches a repair programme",
     "Customers of {company} can now have products repaired for free during the warranty and at cost "
     "afterwards. Repairs are booked by phone or in any store and take {n} working days on average."),
    ("customer-satisfaction", "{company} reports record customer satisfaction",
     "{company}'s contact center, now assisted by AI agents, resolved {pct}% of calls on the first contact "
     "this year. Average waiting time on the phone fell below one minute."),
    ("recycled-packaging", "{company} switches to recycled packaging",
     "From {month} every parcel {company} ships uses recycled cardboard and paper tape, and no plastic "
     "filler. Customers can return packaging to any store for reuse."),
    ("loyalty-programme", "{company} renews its loyalty programme",
     "Members of the {company} loyalty programme now earn points on repairs and rentals too. Gold and "
     "platinum members get free express shipping and an extended return window of {n}0 days."),
    ("summer-sale", "{company} announces its summer sale",
     "The {company} summer sale starts in {month}: up to {pct}% off selected {industry}, in stores and "
     "online, while stock lasts. Loyalty members get early access one day before."),
    ("trade-in", "{company} starts a trade-in scheme for used gear",
     "Customers can bring used {industry} to any {company} store and get a voucher worth up to {pct}% of "
     "the original price. Traded-in items are refurbished and resold with a one-year warranty."),
    ("careers", "{company} is hiring {n}0 people",
     "{company} is hiring {n}0 people for its new stores and its contact center, including repair "
     "technicians and customer advisers. Applications are open on the careers page."),
)
CITIES = ("Denver", "Portland", "Austin", "Seattle", "Boston", "Chicago", "Phoenix", "Atlanta", "Minneapolis")
MONTHS = ("March", "April", "May", "June", "July")


@dataclass(frozen=True)
class PublicPage:
    url: str
    title: str
    text: str


def site_of(company: str) -> str:
    """A reserved domain (.example): no real site is ever named."""
    return re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-") + ".example"


def public_pages(company: str, industry: str, seed: int, products: list[Product]) -> list[PublicPage]:
    draw = random.Random(f"{seed}:pages")
    site = f"https://{site_of(company)}"
    pages = []
    for slug, title, body in NEWS:
        facts = {"company": company, "industry": industry, "n": draw.randint(2, 6), "pct": draw.randint(20, 70),
                 "cities": ", ".join(draw.sample(CITIES, 3)), "month": draw.choice(MONTHS)}
        pages.append(PublicPage(f"{site}/news/{slug}", title.format(**facts), body.format(**facts)))
    for product in products:
        pages.append(PublicPage(
            f"{site}/products/{product.id}", f"{product.name} | {company}",
            f"{product.name}, from our {product.category} range, costs {product.price:.2f} {product.currency}. "
            f"{product.description}"))
    pages.append(PublicPage(f"{site}/about", f"About {company}",
                            f"{company} sells {industry} online, in its stores and by phone. Its contact center "
                            "answers calls every day, and its agents can take orders, change addresses and send "
                            "confirmations by email."))
    return pages
