"""The sample knowledge corpus of the synthetic company, and questions with the page that answers each.

`python -m local.sample_corpus OUT_DIR [--company NAME]` writes two PDFs, a DOCX and a Markdown
file (returns, warranty, shipping, product care) and `questions.json`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

RETURNS = [
    ("Returns window", "You can return any item within 30 days of delivery for a full refund. Items must be unused, "
     "with all tags attached and in the original packaging. Sale items marked final sale cannot be returned. "
     "Gift recipients can return items for store credit using the gift receipt."),
    ("Refunds", "Refunds are issued to the original payment method within 5 business days after the returned item "
     "reaches our warehouse. Original shipping charges are not refunded unless the item was faulty. Refunds for "
     "orders paid with a gift card are returned as store credit."),
    ("Exchanges and damaged items", "If your order arrived damaged, contact us within 48 hours with photos of the "
     "damage and the packaging; we send a replacement at no cost and collect the damaged item. Exchanges for a "
     "different size or colour are free once per order."),
]
WARRANTY = [
    ("What the warranty covers", "All products carry a two-year limited warranty against defects in materials "
     "and workmanship from the date of purchase. Electronic components are covered for three years. The warranty "
     "applies to the original purchaser and requires proof of purchase."),
    ("Exclusions", "The warranty does not cover normal wear and tear, accidental damage, damage from improper "
     "use or storage, modifications, or products used for commercial rental. Cosmetic scratches that do not "
     "affect function are excluded."),
    ("Making a warranty claim", "To make a claim, register the product online, then call customer service with "
     "your order number. We repair the product, replace it, or refund it at our discretion. Repairs are completed "
     "within 14 days and the return shipping is free."),
]
SHIPPING = [
    ("Delivery options", "Standard shipping takes 3 to 5 business days and is free on orders over 50 dollars. "
     "Express shipping delivers the next business day when ordered before 2 pm and costs 14.99 dollars. "
     "Same-day delivery is available in selected cities."),
    ("International orders", "We ship to 40 countries. International delivery takes 7 to 14 business days. "
     "Customs duties and import taxes are paid by the recipient on delivery; they are not included in the price."),
    ("Tracking and lost parcels", "A tracking link is emailed when your order ships. If the tracking has not "
     "updated for 5 days, contact us and we open a trace with the carrier. Parcels confirmed lost are replaced "
     "or refunded in full."),
]
CARE_ITEMS = [
    ("Tents", "Always dry the tent completely before packing it away, or mildew will form on the fabric. Store it "
     "loosely in a cool, dry place. Clean the fly with lukewarm water and a sponge, never in a washing machine."),
    ("Sleeping bags", "Wash down sleeping bags rarely, in a front-loading machine with down-specific detergent. "
     "Tumble dry on low heat with two clean tennis balls to restore the loft. Store them uncompressed in the "
     "large cotton sack."),
    ("Hiking boots", "Brush off mud after every hike and let the boots dry at room temperature away from "
     "radiators. Re-wax full-grain leather every few months to keep it waterproof."),
    ("Rain jackets", "Wash the waterproof membrane with a technical cleaner and reactivate the water repellency "
     "by tumble drying on low heat for 20 minutes. Do not use fabric softener."),
    ("Backpacks", "Empty all pockets and shake out debris. Hand wash the pack in a tub with mild soap and hang it "
     "upside down to dry. Do not put the frame sheet in a machine."),
    ("Camp stoves", "Let the stove cool completely before packing. Clean the burner ports with the supplied "
     "needle and check the fuel line O-rings for cracks before every trip."),
    ("Lanterns", "Remove the batteries before storing the lantern for more than a month to prevent corrosion. "
     "Charge lithium models to about half capacity for long storage."),
    ("Trekking poles", "Take the poles apart after wet trips and let each section dry separately. Never lubricate "
     "the locking mechanism; grit and oil make the locks slip."),
    ("Bike helmets", "Replace a helmet after any crash, even without visible damage, and every five years "
     "otherwise. Clean the pads by hand with mild soap; solvents weaken the foam."),
    ("Bike lights", "Charge bike lights after every ride and keep the USB port cover closed in the rain. Store "
     "them indoors in winter; cold drains the battery."),
    ("Cycling jerseys", "Wash jerseys inside out on a cold, gentle cycle and hang them to dry. Close zippers first "
     "so they do not snag the fabric."),
    ("Saddle bags", "Wipe saddle bags with a damp cloth. Check the mounting straps for wear each season and "
     "replace frayed straps before they fail."),
    ("Water bottles", "Rinse bottles with hot water and a drop of dish soap after every use. Once a week soak them "
     "in a baking soda solution to remove odours."),
    ("Camping chairs", "Fold chairs only when dry. Lubricate the joints with a silicone spray once a season so "
     "they do not squeak."),
    ("Hammocks", "Machine wash hammocks on a gentle cycle in a laundry bag and air dry them. Inspect the suspension "
     "straps for cuts before each use."),
    ("Headlamps", "Unscrew the battery cap to check the seal. A thin film of silicone grease keeps the headlamp "
     "waterproof."),
    ("Cooking pots", "Clean non-stick camping pots with a soft sponge only. Never heat an empty pot on a stove; "
     "it warps the base."),
    ("Sleeping mats", "Store self-inflating mats unrolled with the valve open so the foam keeps its shape. Patch "
     "small punctures with the repair kit after cleaning the area with alcohol."),
    ("Gloves", "Wash fleece gloves by hand in lukewarm water. Leather palms need leather conditioner after they "
     "dry to stay supple."),
    ("Sunglasses", "Rinse sunglasses with water before wiping them, so sand does not scratch the lenses, and dry "
     "them with the microfibre pouch."),
]
FAQ = """# Frequently asked questions

## Do you offer price matching?
Yes. If you find the same item cheaper at a major retailer within 14 days of purchase, we refund the difference.

## Can I change my order after placing it?
Orders can be changed or cancelled within one hour of purchase, before they reach the warehouse.

## Do you have a loyalty programme?
Members earn one point per dollar spent; 100 points give a 5 dollar voucher. Gold members get free express shipping.
"""
# (question, document, page): worded as callers ask, not as the documents say it.
QUESTIONS = [
    ("How many days do I have to send back something I bought?", "Returns Policy.pdf", 1),
    ("Can I return an item I got as a present?", "Returns Policy.pdf", 1),
    ("When will I get my money back after returning an order?", "Returns Policy.pdf", 2),
    ("Do you refund the delivery cost when I return something?", "Returns Policy.pdf", 2),
    ("My package arrived broken, what should I do?", "Returns Policy.pdf", 3),
    ("How long is the guarantee on your products?", "Warranty Terms.pdf", 1),
    ("Are electronics covered for longer?", "Warranty Terms.pdf", 1),
    ("Is accidental damage covered by the warranty?", "Warranty Terms.pdf", 2),
    ("How do I file a warranty claim?", "Warranty Terms.pdf", 3),
    ("How long does a warranty repair take?", "Warranty Terms.pdf", 3),
    ("How quickly does express delivery arrive?", "Shipping Guide.docx", 1),
    ("Is shipping free?", "Shipping Guide.docx", 1),
    ("Who pays import taxes on orders abroad?", "Shipping Guide.docx", 2),
    ("My tracking has not moved for a week.", "Shipping Guide.docx", 3),
    ("How do I stop my tent from going mouldy?", "Product Care Manual.pdf", 1),
    ("How do I wash a down sleeping bag?", "Product Care Manual.pdf", 2),
    ("How do I keep leather boots waterproof?", "Product Care Manual.pdf", 3),
    ("Should I use fabric softener on my rain jacket?", "Product Care Manual.pdf", 4),
    ("When should I replace my bike helmet?", "Product Care Manual.pdf", 9),
    ("How do I store a lantern over the winter?", "Product Care Manual.pdf", 7),
    ("My trekking poles keep slipping, should I oil them?", "Product Care Manual.pdf", 8),
    ("How do I fix a hole in my sleeping mat?", "Product Care Manual.pdf", 18),
    ("How do I clean my sunglasses without scratching them?", "Product Care Manual.pdf", 20),
    ("Do you match lower prices from other shops?", "FAQ.md", 1),
]


def pdf(path: Path, title: str, pages: list[tuple[str, str]]) -> None:
    from fpdf import FPDF

    document = FPDF()
    for number, (heading, body) in enumerate(pages, 1):
        document.add_page()
        document.set_font("Helvetica", style="B", size=14)
        document.multi_cell(0, 8, f"{title}: {heading}", new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", size=11)
        document.multi_cell(0, 6, f"{body}\n\nPage {number} of {len(pages)}", new_x="LMARGIN", new_y="NEXT")
    document.output(str(path))


def docx(path: Path, title: str, pages: list[tuple[str, str]]) -> None:
    import docx as word
    from docx.enum.text import WD_BREAK

    document = word.Document()
    document.add_heading(title, level=1)
    for number, (heading, body) in enumerate(pages, 1):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(heading, level=2)
        document.add_paragraph(body)
    document.save(str(path))


def build(out: Path, company: str = "Contoso Outdoor") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pdf(out / "Returns Policy.pdf", f"{company} returns policy", RETURNS)
    pdf(out / "Warranty Terms.pdf", f"{company} warranty", WARRANTY)
    pdf(out / "Product Care Manual.pdf", f"{company} product care", CARE_ITEMS)
    docx(out / "Shipping Guide.docx", f"{company} shipping guide", SHIPPING)
    (out / "FAQ.md").write_text(FAQ, encoding="utf-8")
    (out / "questions.json").write_text(json.dumps(
        [{"question": q, "document": d, "page": p} for q, d, p in QUESTIONS], indent=2))
    return sorted(p for p in out.iterdir() if p.name != "questions.json")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m local.sample_corpus", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--company", default="Contoso Outdoor")
    args = parser.parse_args()
    for path in build(args.out, args.company):
        print(path)
