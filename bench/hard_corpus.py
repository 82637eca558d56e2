"""A hard retrieval set: long, near-identical documents of a contact centre and questions with their page.

Generated, so that nobody's copyright is involved and the expected page is known exactly: two
editions of one long mobile plan sharing most of their wording, two product lines of one fibre
guide, two versions of a refund policy (DOCX), an agent handbook with lists and tables (Markdown)
and a short recording notice (TXT). Numbered headings carry meaning the paragraph under them does
not repeat; facts sit in tables and lists; text flows across page breaks as in real PDFs; page
headers and footers repeat on every page. Questions name the document (the only way to tell two
editions apart), some are long and in several parts, some have no answer in any document.

Each section is either `dev` (tune on it) or `test` (report it) in every edition of its family,
so that no test question shares a section, nor the wording asked about it, with a dev question.
`python -m bench.hard_corpus OUT_DIR` writes the files and `questions.json`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

# Boilerplate shared by every edition of a family: what makes the documents near-identical.
FILLER = [
    "Charges are shown in the customer's online account and on the monthly bill.",
    "Where these terms conflict with a written agreement signed by both parties, the written agreement applies.",
    "We may ask for identification before we make any change to the account.",
    "A customer who is unhappy with the outcome can ask for the decision to be reviewed by a team leader.",
    "All amounts include sales tax unless the bill states otherwise.",
    "Requests made through the app are handled in the same way as requests made by phone.",
    "The account holder is responsible for all use of the service, including use by other people in the household.",
    "Agents note every request in the customer record, with the date and the outcome.",
    "If a customer asks for this information in writing, we send it by email or post within two working days.",
    "Customers with an accessibility need can ask for any letter in large print, braille or audio.",
    "These rules apply to consumer accounts; business accounts are described in a separate agreement.",
    "We review this section every year and publish any change at least thirty days before it applies.",
    "A change requested after the bill has been produced takes effect from the next billing period.",
    "Promotional offers cannot be combined unless the offer says so.",
    "Our network coverage map shows the expected signal at street level for every postcode.",
    "Calls to our customer service line are free from any of our mobile numbers.",
    "A customer may authorise another person to manage the account by adding them as a named contact.",
    "When we cannot reach a customer by phone, we write to the email address on the account.",
    "Fees are charged to the payment method on file on the next billing date.",
    "We keep records of these requests for six years, as the law requires.",
    "Customers in financial difficulty can ask for a payment plan at any time.",
    "The service is provided on a best-effort basis and speeds depend on location and network load.",
    "Any credit applied to the account appears as a separate line on the next bill.",
    "Equipment supplied by us remains our property unless the customer bought it outright.",
    "A request is only complete once the customer has received a reference number.",
    "If the customer moves home, the same terms continue at the new address where the service is available.",
    # Sentences that use the words of the facts without giving one: what keyword search trips over.
    "Fees for roaming, late payment and replacement cards are described in their own sections of this document.",
    "Agents must not promise a refund, a credit or a fee waiver that these terms do not allow.",
    "The monthly charge and the data allowance of a tier can change only with thirty days' notice.",
    "Any number of days given in these terms counts calendar days unless it says working days.",
    "A customer who travels abroad should check the roaming zone of the country before leaving.",
    "Contract length, installation and equipment are confirmed in the welcome email.",
    "Compensation paid under these terms does not affect the customer's statutory rights.",
    "A dispute about a charge does not stop the rest of the bill from being due.",
]


@dataclass
class Section:
    heading: str
    body: list[str]  # paragraphs, formatted with the edition's values; a list item starts "- ", a table row "| "
    questions: list[str]  # formatted with {doc} (a way of naming the edition) and the edition's values
    filler: int = 3  # boilerplate paragraphs after the body: what pushes facts across pages
    only: tuple[str, ...] = ()  # editions that have this section (all when empty)
    answer: int = 0  # the body paragraph that answers; when not the first, a page break comes before it


@dataclass
class Family:
    key: str
    kind: str  # pdf, docx, md, txt
    editions: dict[str, dict[str, str]]  # file name -> values (its title under "title", names under "names")
    sections: list[Section]
    chapters: dict[int, str] = field(default_factory=dict)  # section index -> chapter heading before it
    density: int = 1  # multiplies each section's boilerplate: how long the documents run


PLAN = Family("plan", "pdf", {
    "Connect Mobile Plan 2025.pdf": {
        "title": "Connect Mobile Plan - Terms of Service, 2025 edition",
        "names": "the 2025 Connect plan|the Connect Mobile Plan 2025|the 2025 edition of the mobile plan",
        "monthly_s": "12", "monthly_m": "20", "monthly_l": "32", "data_s": "5", "data_m": "30", "data_l": "100",
        "z1": "included", "z2": "0.35", "z2data": "0.10", "z3": "1.20", "z3data": "1.50",
        "etf": "75 percent", "port": "one working day", "late": "8", "grace": "14", "dispute": "60",
        "cap": "25", "protection": "6", "excess": "79", "claims": "two", "pause": "three months",
        "hours": "8 am to 8 pm", "kids": "13", "sim": "5", "tether": "not allowed", "hotspot_cap": "0",
        "reconnect": "15", "wifi_calls": "not available", "esim": "", "credit": "50", "bill_day": "the 1st",
        "upgrade": "18", "refer": "20", "refer_cap": "5", "loyalty": "10 percent after 3 years",
        "ombudsman": "eight weeks",
    },
    "Connect Mobile Plan 2026.pdf": {
        "title": "Connect Mobile Plan - Terms of Service, 2026 edition",
        "names": "the 2026 Connect plan|the Connect Mobile Plan 2026|the 2026 edition of the mobile plan",
        "monthly_s": "14", "monthly_m": "22", "monthly_l": "35", "data_s": "10", "data_m": "50", "data_l": "150",
        "z1": "included", "z2": "0.25", "z2data": "0.08", "z3": "0.99", "z3data": "1.10",
        "etf": "60 percent", "port": "four hours", "late": "10", "grace": "10", "dispute": "90",
        "cap": "20", "protection": "7", "excess": "59", "claims": "three", "pause": "six months",
        "hours": "7 am to 10 pm", "kids": "12", "sim": "3", "tether": "allowed up to a cap", "hotspot_cap": "15",
        "reconnect": "10", "wifi_calls": "available on all plans", "esim": "yes", "credit": "75",
        "bill_day": "a day the customer chooses", "upgrade": "12", "refer": "25", "refer_cap": "10",
        "loyalty": "15 percent after 2 years", "ombudsman": "six weeks",
    },
}, [
    Section("Monthly charges", [
        "Every plan is billed monthly in advance. The price of each tier is set out in the table below.",
        "| Tier | Monthly price (dollars) | Data (GB) |",
        "| Small | {monthly_s} | {data_s} |",
        "| Medium | {monthly_m} | {data_m} |",
        "| Large | {monthly_l} | {data_l} |",
    ], ["How much does the Medium tier cost per month on {doc}?",
        "What is the monthly price of the large tier in {doc}, and how much data does it come with?"]),
    Section("Roaming: Zone 1 (Europe and the UK)", [
        "Calls, texts and data are {z1} at home rates for up to 60 days in any twelve months.",
    ], ["Is roaming in Europe included in {doc}?"], filler=2),
    Section("Roaming: Zone 2 (the Americas)", [
        "Calls cost {z2} dollars a minute and data {z2data} dollars a megabyte. Texts cost the same as at home.",
    ], ["What does a call cost per minute when I travel to Canada or Mexico under {doc}?",
        "How much is mobile data per megabyte in the Americas with {doc}?"], filler=2),
    Section("Roaming: Zone 3 (rest of the world)", [
        "Calls cost {z3} dollars a minute and data {z3data} dollars a megabyte, charged in blocks of 100 KB.",
    ], ["I'm going to Thailand on {doc}, what will data cost me per megabyte?"], filler=3),
    Section("Spending cap", [
        "To protect customers from bill shock, usage charged outside the allowance stops once it reaches "
        "{cap} dollars in a billing period, unless the customer raises the limit in the app.",
    ], ["Is there a limit on how much extra usage I can be charged in a month on {doc}?"]),
    Section("Leaving before the end of the minimum term", [
        "A customer who ends the agreement early pays {etf} of the monthly charges remaining in the minimum "
        "term. No fee applies when the customer leaves within 14 days of joining or after a price rise.",
    ], ["What is the early termination fee if I cancel my contract under {doc}?",
        "How much do I have to pay if I break my contract early on {doc}, and is it free if you raised the price?"]),
    Section("Moving your number to us", [
        "Once the customer has given us their porting code, the number moves within {port}.",
        "The old provider's service ends automatically when the transfer completes.",
    ], ["How long does it take to transfer my number from another network under {doc}?"]),
    Section("Late payment", [
        "When a bill is unpaid {grace} days after its due date, a late payment fee of {late} dollars is added.",
        "The service is suspended when two bills are unpaid. Reconnection after suspension costs {reconnect} dollars.",
    ], ["What is the late payment fee in {doc}?",
        "How many days after the due date is a late fee charged on {doc}?",
        "How much does it cost to get my line reconnected after it was cut off for not paying, under {doc}?"]),
    Section("Disputing a charge", [
        "A customer who believes a charge is wrong must tell us within {dispute} days of the bill date. "
        "To raise a dispute:",
        "- sign in to the app and open the bill;",
        "- select the charge and choose Dispute;",
        "- describe the problem and attach any evidence;",
        "- keep the reference number we send by email.",
        "The disputed amount is not due while we investigate, and we answer within 10 working days.",
    ], ["How long do I have to dispute a charge on my bill under {doc}?",
        "What are the steps to dispute a bill on {doc}?"], filler=4),
    Section("Making a complaint", [
        "We want to put things right the first time. A customer who is unhappy with any part of the service "
        "can complain by phone, in the app, by email or by letter, and may ask someone else to complain for them.",
        "- the agent who takes the complaint logs it with a reference number and reads it back;",
        "- the agent tries to resolve it on the same call, and offers a call back if not;",
        "- a complaint not resolved on the call goes to the complaints team, who write within five working days;",
        "- the complaints team may offer a credit, a fee waiver or a change to the account;",
        "- the customer is told in writing what was decided and why.",
        "Customers in vulnerable circumstances are given a named case handler for the whole complaint.",
        "Complaints about a charge follow the dispute steps instead, so that the charge is put on hold.",
        "If the complaint is still open after {ombudsman}, or the customer disagrees with our final answer, "
        "the customer may take it to the independent telecoms ombudsman free of charge.",
    ], ["How long must I wait before I can take a complaint to the ombudsman under {doc}?"], filler=1, answer=8),
    Section("Device protection", [
        "Device protection costs {protection} dollars a month and covers loss, theft and accidental damage.",
        "Each approved claim has an excess of {excess} dollars. A customer may make up to {claims} claims in "
        "any twelve months.",
    ], ["How much is the excess on a phone insurance claim with {doc}?",
        "How many insurance claims can I make a year on {doc}?",
        "What does device protection cost per month in {doc}?"]),
    Section("Pausing the service", [
        "A customer travelling or in hospital can pause the line for up to {pause}; a paused line costs 3 "
        "dollars a month and keeps its number.",
    ], ["Can I put my line on hold while I'm abroad for a long time, and for how long, on {doc}?"]),
    Section("Customer service hours", [
        "Our agents answer calls from {hours}, every day except 25 December.",
    ], ["What time does customer support open under {doc}?"], filler=2),
    Section("Children's accounts", [
        "A line for a child can be added to a parent's account for children aged {kids} or older; the parent "
        "sets content filters in the app.",
    ], ["What is the minimum age for a child line in {doc}?"]),
    Section("Replacement SIM cards", [
        "A replacement physical SIM card costs {sim} dollars and is posted the next working day.",
    ], ["How much does a new SIM cost if I lose mine under {doc}?"], filler=2),
    Section("Using your phone as a hotspot", [
        "Tethering is {tether}. Where allowed, hotspot use counts towards the allowance and is capped at "
        "{hotspot_cap} GB a month.",
    ], ["Can I tether my laptop to my phone on {doc}?"]),
    Section("Wi-Fi calling", [
        "Wi-Fi calling is {wifi_calls}. Emergency calls over Wi-Fi give the address registered on the account.",
    ], ["Is wifi calling supported with {doc}?"], filler=2),
    Section("eSIM transfers", [
        "An eSIM can be moved to a new phone in the app at no charge, up to four times a year; each transfer "
        "needs a one-time code sent to the account's email address.",
    ], ["How many times a year can I move my eSIM to another phone?"], only=("Connect Mobile Plan 2026.pdf",)),
    Section("Goodwill credit", [
        "Agents may add a goodwill credit of up to {credit} dollars per account per year without a team "
        "leader's approval.",
    ], ["Up to what amount can an agent give goodwill credit without approval under {doc}?"]),
    Section("Billing date", [
        "Bills are produced on {bill_day} of each month and payment is taken seven days later.",
    ], ["Which day of the month is the bill produced on {doc}?"], filler=2),
    Section("Upgrading your phone", [
        "A customer can upgrade to a new phone after {upgrade} months of the agreement, paying off any "
        "remaining device balance.",
    ], ["After how many months can I upgrade my handset on {doc}?"]),
    Section("Refer a friend", [
        "Both the customer and the friend receive {refer} dollars of credit once the friend's line is active; "
        "up to {refer_cap} referrals a year are rewarded.",
    ], ["How much credit do I get for referring a friend under {doc}?",
        "What is the maximum number of referrals rewarded each year in {doc}?"]),
    Section("Loyalty discount", [
        "Customers with an unbroken record receive a discount of {loyalty}, applied automatically to the "
        "monthly charge.",
    ], ["How big is the loyalty discount for long-standing customers in {doc}?"], filler=4),
], {0: "Prices and allowances", 1: "Roaming", 4: "Managing your bill", 9: "Extras and services",
    16: "Accounts and rewards"}, density=5)

FIBRE = Family("fibre", "pdf", {
    "Fibre Home Basic Guide.pdf": {
        "title": "Fibre Home Basic - Customer Guide",
        "names": "Fibre Home Basic|the Basic fibre package|the Basic broadband guide",
        "down": "100", "up": "20", "router": "Hub One", "install": "49", "install_days": "ten working days",
        "static_ip": "not offered", "return_days": "30", "unreturned": "60", "fault_fix": "three working days",
        "compensation": "5", "mesh": "sold separately for 80 dollars", "data": "unlimited", "contract": "12",
        "move_fee": "65",
        "tv": "not available", "speed_floor": "50",
    },
    "Fibre Home Premium Guide.pdf": {
        "title": "Fibre Home Premium - Customer Guide",
        "names": "Fibre Home Premium|the Premium fibre package|the Premium broadband guide",
        "down": "900", "up": "300", "router": "Hub Max", "install": "0", "install_days": "five working days",
        "static_ip": "included at no charge", "return_days": "45", "unreturned": "120",
        "fault_fix": "the next working day", "compensation": "10", "mesh": "included, two units",
        "move_fee": "0",
        "data": "unlimited", "contract": "18", "tv": "included with 80 channels", "speed_floor": "600",
    },
}, [
    Section("Speeds", [
        "The package gives download speeds of up to {down} Mbps and upload speeds of up to {up} Mbps.",
        "If the speed falls below {speed_floor} Mbps for three days in a row, the customer may leave without a fee.",
    ], ["What download speed does {doc} offer?",
        "What is the guaranteed minimum speed on {doc} before I can cancel without paying?"], filler=3),
    Section("Your router", [
        "The package comes with the {router} router. Plug it into the fibre box with the green cable and "
        "wait for the light to turn white.",
    ], ["Which router do I get with {doc}?"]),
    Section("Installation", [
        "Professional installation costs {install} dollars and is booked within {install_days} of the order.",
    ], ["How much does installation cost for {doc}?",
        "How soon can an engineer come to install {doc}?"], filler=4),
    Section("Static IP address", [
        "A static IP address is {static_ip}.",
    ], ["Can I have a fixed IP address on {doc}?"], filler=2),
    Section("Returning equipment", [
        "When the contract ends, the router must be returned within {return_days} days in the prepaid bag. "
        "Equipment not returned is charged at {unreturned} dollars.",
    ], ["How long do I have to send the router back when I leave {doc}?",
        "What will I be charged if I don't return the router for {doc}?"]),
    Section("Faults and repairs", [
        "We aim to fix a fault within {fault_fix}. For every day beyond that target the customer receives "
        "{compensation} dollars of compensation automatically.",
    ], ["How quickly are faults fixed with {doc}?",
        "My internet has been down for a week on {doc}, how much compensation do I get for each day?"], filler=4),
    Section("Moving home", [
        "Tell us at least a month before the move. We check that the service is available at the new address "
        "and book the engineer for the day the customer moves in, so that the line is live when they arrive.",
        "- the router and any mesh units go with the customer and are plugged in the same way;",
        "- the old line stops at midnight on the moving day;",
        "- the monthly price stays the same if the package is available at the new address;",
        "- a customer moving abroad or to an address we cannot serve may leave without an early exit fee.",
        "The minimum term carries over to the new address and does not start again.",
        "A move booked with less than a month's notice costs {move_fee} dollars for the engineer's visit.",
    ], ["What does it cost to move my broadband at short notice with {doc}?"], filler=1, answer=6),
    Section("Whole-home Wi-Fi", [
        "Mesh Wi-Fi units are {mesh}.",
    ], ["Are mesh wifi extenders included with {doc}?"]),
    Section("Minimum term", [
        "The minimum term is {contract} months. The monthly price is fixed for the whole minimum term.",
    ], ["How long is the contract for {doc}?"], filler=3),
    Section("Television", [
        "Our TV service is {tv}.",
    ], ["Does {doc} come with TV channels?"]),
], {0: "Getting started", 3: "Your service", 6: "Extras"}, density=3)

REFUND = Family("refund", "docx", {
    "Refund Policy v3.docx": {
        "title": "Refund Policy, version 3",
        "names": "version 3 of the refund policy|the v3 refund policy|refund policy version 3",
        "window": "14", "method": "to the original payment method", "days": "10", "restock": "10 percent",
        "opened": "cannot be returned", "approval": "100", "digital": "are not refundable once downloaded",
    },
    "Refund Policy v4.docx": {
        "title": "Refund Policy, version 4",
        "names": "version 4 of the refund policy|the v4 refund policy|refund policy version 4",
        "window": "30", "method": "to the original payment method or as account credit, as the customer prefers",
        "days": "5", "restock": "no fee", "opened": "can be returned if all parts are included",
        "approval": "250", "digital": "are refundable within 48 hours if not used",
    },
}, [
    Section("Cooling-off period", [
        "A customer may cancel an order for a refund within {window} days of delivery.",
    ], ["How many days do I have to cancel for a refund under {doc}?"], filler=2),
    Section("How refunds are paid", [
        "Refunds are paid {method} within {days} working days of our accepting the return.",
    ], ["How long does a refund take to arrive under {doc}?",
        "Can I get my refund as account credit under {doc}?"], filler=2),
    Section("Restocking", [
        "A restocking charge of {restock} applies to accessories returned without a fault.",
    ], ["Is there a restocking fee for returned accessories in {doc}?"], filler=2),
    Section("Opened phones", [
        "A phone whose seal has been broken {opened}.",
    ], ["Can I return a phone I've already opened under {doc}?"], filler=2),
    Section("Refunds needing approval", [
        "A team leader must approve any refund above {approval} dollars before it is paid.",
    ], ["Above what amount does a refund need a team leader's approval in {doc}?"], filler=2),
    Section("Digital purchases", [
        "Apps, ringtones and other digital content {digital}.",
    ], ["Can I get my money back for a ringtone I bought, according to {doc}?"], filler=2),
])

HANDBOOK = Family("handbook", "md", {
    "Agent Handbook.md": {"title": "Agent Handbook", "names": "the agent handbook|the handbook|the Agent Handbook"},
}, [
    Section("Opening a call", [
        "Every call starts the same way:",
        "- greet the caller with the company name and your first name;",
        "- confirm the caller's full name and the account's postcode;",
        "- ask for the security answer before discussing any charge;",
        "- state that the call is recorded for training.",
    ], ["What do I have to check before I can talk about a customer's charges?",
        "What are the steps to open a customer call according to {doc}?"]),
    Section("Wrap-up codes", [
        "Choose one wrap-up code when the call ends:",
        "| Code | Meaning |",
        "| W10 | question answered, nothing changed |",
        "| W20 | account changed at the customer's request |",
        "| W30 | complaint logged |",
        "| W40 | transferred to another team |",
        "| W50 | fraud suspected, account locked |",
    ], ["Which wrap-up code do I use when I suspect fraud?",
        "What does wrap-up code W30 mean in {doc}?"]),
    Section("Escalating to a team leader", [
        "Escalate when the customer asks for a manager twice, threatens legal action, or when a refund is "
        "above your approval limit. Use the Escalate button; the team leader calls back within 2 hours.",
    ], ["When must a call be escalated to a supervisor?",
        "How quickly does a team leader call the customer back after an escalation?"]),
    Section("Vulnerable customers", [
        "If a customer mentions bereavement, serious illness or money worries, add the Support flag, offer "
        "a call back at a time that suits them, and never push a sale on the same call.",
    ], ["A caller told me her husband just died; what should I do on the account?"]),
    Section("Average handling time", [
        "The target average handling time is 6 minutes 30 seconds; quality scores matter more than speed.",
    ], ["What is the target average handling time for calls?"], filler=2),
    Section("Breaks and shifts", [
        "Agents on an eight-hour shift take two 15-minute breaks and a 30-minute lunch, scheduled by the "
        "workforce team.",
    ], ["How long is the lunch break on an eight hour shift?"], filler=2),
])

NOTICE = Family("notice", "txt", {
    "Call Recording Notice.txt": {"title": "Call Recording and Privacy Notice",
                                  "names": "the call recording notice|the privacy notice"},
}, [
    Section("Why we record calls", [
        "Calls are recorded for training, quality and to settle disputes about what was agreed.",
    ], ["Why are my calls with customer service recorded?"], filler=2),
    Section("How long recordings are kept", [
        "Recordings are kept for 13 months and then deleted, unless they are needed for an open complaint.",
    ], ["How long do you keep call recordings?"], filler=2),
    Section("Getting a copy of a recording", [
        "A customer can ask for a copy of their recordings by email; we send it within one month, free of charge.",
    ], ["Can I get a copy of a recorded call, and does it cost anything?"], filler=2),
])

FAMILIES = [PLAN, FIBRE, REFUND, HANDBOOK, NOTICE]

# Questions that no document answers: near the domain (the hard case) and plainly off it.
NO_ANSWER = [
    "Do you offer a discount for students?", "Can I pay my bill with bitcoin?",
    "Do you sell second-hand laptops?", "What is the price of a satellite phone plan?",
    "Is there a pension scheme for agents?", "Can I get a business landline with my plan?",
    "How do I set up voicemail greetings in Spanish?", "What is the dress code in the office?",
    "Do you have a shop in Lisbon?", "Who is the chief executive of the company?",
    "What are the parking arrangements at head office?", "Can I rent a router by the day for an event?",
    "Do you cover flood damage to my house?", "What's the weather like tomorrow?",
    "purple elephant quantum banana", "Tell me a joke about penguins",
    "How do I bake sourdough bread?", "What is the capital of Australia?",
    "Can I bring my dog to the office?", "Does the gym membership include swimming?",
    "What is the fee for a paper copy of my bill?", "Can I transfer my contract to another person?",
    "Do you offer landline phones for elderly customers with big buttons?", "How do I block premium rate numbers?",
    "What is the roaming charge for calls from a cruise ship?",
    "Is there a fee for changing my account name after marriage?",
    "How do I report a faulty streetlight?", "What interest rate do you charge on device loans?",
    "Can I get compensation for a delayed train?", "Which football matches are shown on your TV service this weekend?",
    "How many vacation days do agents get per year?", "When is the company's next shareholder meeting?",
    "Can I order a pizza through the app?", "What is your policy on cryptocurrency mining on the network?",
    "Do you offer satellite TV in rural Scotland?", "How do I reset a smart fridge?",
]

PREAMBLES = [
    "Hi, sorry, I've been a customer for years and I'm a bit confused by my paperwork. ",
    "Good morning. My daughter set this up for me and she's away this week, so I'm calling myself. ",
    "Hello there, I've read through the documents twice and I still can't work it out. ",
]


def _seeded(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest())


def split_of(*parts: object) -> str:
    return "test" if _seeded("split", *parts).random() < 0.5 else "dev"


@dataclass
class Block:
    kind: str  # heading1, heading2, para, item, row
    text: str
    fact: tuple[int, int] | None = None  # (section, body paragraph) for the facts' pages
    new_page: bool = False  # the answer of a section that runs over a page break


def blocks(family: Family, name: str) -> list[Block]:
    """The edition's text in order: shared boilerplate chosen by section, not by edition."""
    values = family.editions[name]
    out = [Block("heading1", values["title"])]
    number, chapter = 0, 0
    for index, section in enumerate(family.sections):
        if section.only and name not in section.only:
            continue
        if index in family.chapters:
            chapter, number = chapter + 1, 0
            out.append(Block("heading1", f"{chapter}. {family.chapters[index]}"))
        number += 1
        out.append(Block("heading2", f"{chapter}.{number} {section.heading}" if chapter else section.heading))
        for ordinal, paragraph in enumerate(section.body):
            kind = "item" if paragraph.startswith("- ") else "row" if paragraph.startswith("| ") else "para"
            out.append(Block(kind, paragraph.format(**values), (index, ordinal), 0 < section.answer == ordinal))
        rng = _seeded(family.key, index)
        for _ in range(section.filler * family.density):
            out.append(Block("para", " ".join(rng.sample(FILLER, 4))))
    return out


def write_pdf(path: Path, title: str, content: list[Block]) -> dict[tuple[int, int], int]:
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    document = Paged()
    document.set_auto_page_break(True, margin=15)
    document.add_page()
    pages: dict[tuple[int, int], int] = {}
    for block in content:
        size, style = {"heading1": (15, "B"), "heading2": (12, "B")}.get(block.kind, (10, ""))
        document.set_font("Helvetica", style=style, size=size)
        if block.kind.startswith("heading"):
            document.ln(2)
        if block.new_page:
            document.add_page()
        if block.fact and block.fact not in pages:
            pages[block.fact] = document.page_no()
        text = block.text.replace("- ", "* ", 1) if block.kind == "item" else block.text
        if block.kind == "row":
            text = "    ".join(cell.strip() for cell in block.text.strip("| ").split("|"))
        document.multi_cell(0, 5 if size == 10 else 7, text, new_x="LMARGIN", new_y="NEXT")
    document.output(str(path))
    return pages


def paged(content: list[Block], lines_per_page: int) -> list[list[Block]]:
    """Pages of about `lines_per_page` blocks (DOCX, Markdown and text have no layout of their own)."""
    pages: list[list[Block]] = [[]]
    for block in content:
        if block.new_page or (len(pages[-1]) >= lines_per_page and block.kind not in ("row", "item")):
            pages.append([])
        pages[-1].append(block)
    return pages


def write_docx(path: Path, content: list[Block]) -> dict[tuple[int, int], int]:
    import docx as word
    from docx.enum.text import WD_BREAK

    document, facts = word.Document(), {}
    for number, page in enumerate(paged(content, 9), 1):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for block in page:
            if block.kind.startswith("heading"):
                document.add_heading(block.text, level=int(block.kind[-1]))
            else:
                document.add_paragraph(block.text.removeprefix("- "), style="List Bullet" if block.kind == "item"
                                       else None)
            if block.fact:
                facts.setdefault(block.fact, number)
    document.save(str(path))
    return facts


def write_text(path: Path, content: list[Block], markdown: bool) -> dict[tuple[int, int], int]:
    facts, texts = {}, []
    for number, page in enumerate(paged(content, 8), 1):
        lines = []
        for block in page:
            if block.kind.startswith("heading"):
                lines.append(("#" * int(block.kind[-1]) + " " if markdown else "") + block.text)
            else:
                lines.append(block.text)
            if block.fact:
                facts.setdefault(block.fact, number)
        texts.append("\n\n".join(lines))
    path.write_text("\n\f".join(texts), encoding="utf-8")
    return facts


def questions_for(family: Family, name: str, facts: dict[tuple[int, int], int]) -> list[dict[str, object]]:
    values = family.editions[name]
    names = values["names"].split("|")
    found = []
    for index, section in enumerate(family.sections):
        if section.only and name not in section.only:
            continue
        page = facts[(index, section.answer)]
        spans = facts[(index, 0)] != page
        parts = section.questions
        split = split_of(family.key, section.heading)
        # A question in two parts, both answered by the section: the long, multi-part kind.
        combined = [f"{parts[0]} Also, {parts[1][0].lower()}{parts[1][1:]}"] if len(parts) > 1 else []
        for ordinal, template in enumerate(parts + combined):
            rng = _seeded(name, index, ordinal)
            question = template.format(**{**values, "doc": rng.choice(names)})
            if ordinal == len(parts):
                found.append({"question": question, "document": name, "page": page, "split": split,
                              "kind": "multi"})
                continue
            long = rng.random() < 0.25
            kind = "long" if long else "spans" if spans else "named" if "{doc}" in template else "plain"
            if long:
                question = rng.choice(PREAMBLES) + question[0].lower() + question[1:] + \
                    " I just want to be sure before I decide anything, thanks."
            found.append({"question": question, "document": name, "page": page, "split": split, "kind": kind})
    return found


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    questions: list[dict[str, object]] = []
    for family in FAMILIES:
        for name, values in family.editions.items():
            content = blocks(family, name)
            path = out / name
            if family.kind == "pdf":
                facts = write_pdf(path, values["title"], content)
            elif family.kind == "docx":
                facts = write_docx(path, content)
            else:
                facts = write_text(path, content, markdown=family.kind == "md")
            questions += questions_for(family, name, facts)
    questions += [{"question": q, "document": None, "page": None, "split": split_of("none", q), "kind": "none"}
                  for q in NO_ANSWER]
    (out / "questions.json").write_text(json.dumps(questions, indent=1))
    return sorted(p for p in out.iterdir() if p.name != "questions.json")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.hard_corpus", description=__doc__)
    parser.add_argument("out", type=Path)
    for built in build(parser.parse_args().out):
        print(built)
