"""Vocabulary of the offline generator: product lines per industry and how calls about each topic go."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    name: str
    nouns: tuple[str, ...]
    price_range: tuple[float, float]
    features: tuple[str, ...]


@dataclass(frozen=True)
class Industry:
    keywords: tuple[str, ...]
    categories: tuple[Category, ...]


INDUSTRIES = (
    Industry(("electronic", "tech", "gadget", "computer", "audio", "device"), (
        Category("Audio", ("Headphones", "Earbuds", "Soundbar", "Speaker"), (29, 399),
                 ("active noise cancelling", "a 30-hour battery", "multipoint Bluetooth", "spatial audio")),
        Category("Computing", ("Laptop", "Tablet", "Monitor", "Keyboard"), (49, 1899),
                 ("a 14-inch OLED panel", "a backlit keyboard", "USB-C charging", "a fanless design")),
        Category("Smart home", ("Thermostat", "Doorbell", "Smart Plug", "Camera"), (19, 299),
                 ("voice assistant support", "end-to-end encrypted video", "energy reports", "Matter support")),
    )),
    Industry(("outdoor", "sport", "camp", "hik", "bike", "cycl"), (
        Category("Camping", ("Tent", "Sleeping Bag", "Camp Stove", "Lantern"), (25, 699),
                 ("a three-season rating", "a packed weight under 2 kg", "taped seams", "a ripstop shell")),
        Category("Hiking", ("Backpack", "Trekking Poles", "Hiking Boots", "Rain Jacket"), (39, 349),
                 ("a breathable membrane", "a ventilated back panel", "Vibram soles", "a lifetime frame warranty")),
        Category("Cycling", ("Helmet", "Bike Light", "Saddle Bag", "Cycling Jersey"), (15, 259),
                 ("MIPS protection", "a 1000-lumen beam", "reflective trims", "a quick-release mount")),
    )),
    Industry(("home", "kitchen", "furniture", "appliance", "house"), (
        Category("Kitchen", ("Blender", "Chef's Knife", "Dutch Oven", "Coffee Grinder"), (19, 449),
                 ("a 1200 W motor", "forged German steel", "enamelled cast iron", "40 grind settings")),
        Category("Furniture", ("Desk", "Armchair", "Bookshelf", "Bed Frame"), (89, 1499),
                 ("solid oak legs", "tool-free assembly", "a stain-resistant fabric", "a height-adjustable top")),
        Category("Cleaning", ("Vacuum", "Steam Mop", "Air Purifier", "Robot Cleaner"), (59, 799),
                 ("a HEPA filter", "lidar navigation", "a 60-minute runtime", "a self-emptying base")),
    )),
    Industry(("fashion", "apparel", "cloth", "shoe", "wear"), (
        Category("Outerwear", ("Parka", "Trench Coat", "Puffer Vest", "Wool Coat"), (79, 499),
                 ("recycled down fill", "a water-repellent finish", "a detachable hood", "merino lining")),
        Category("Footwear", ("Sneakers", "Loafers", "Chelsea Boots", "Sandals"), (49, 289),
                 ("a cushioned footbed", "full-grain leather", "a recycled rubber sole", "a wide fit option")),
        Category("Accessories", ("Belt", "Scarf", "Tote Bag", "Watch Strap"), (15, 179),
                 ("vegetable-tanned leather", "organic cotton", "hand-finished edges", "brass hardware")),
    )),
    Industry(("telecom", "mobile", "phone", "internet", "broadband"), (
        Category("Mobile plans", ("Unlimited Plan", "Prepaid Plan", "Family Plan", "Data Add-on"), (10, 120),
                 ("5G coverage", "roaming in 80 countries", "unlimited calls", "a rollover data allowance")),
        Category("Home internet", ("Fiber 500", "Fiber 1000", "Cable 300", "Mesh Wi-Fi"), (30, 150),
                 ("symmetrical speeds", "no data caps", "a Wi-Fi 7 router", "free installation")),
        Category("Devices", ("Smartphone", "Router", "Hotspot", "Smartwatch"), (49, 1199),
                 ("an eSIM", "a two-year warranty", "trade-in credit", "a 120 Hz display")),
    )),
    Industry(("insurance", "bank", "financ", "loan", "credit"), (
        Category("Insurance", ("Home Cover", "Travel Cover", "Pet Cover", "Car Cover"), (9, 180),
                 ("24/7 claims support", "a no-claims bonus", "worldwide cover", "new-for-old replacement")),
        Category("Accounts", ("Current Account", "Savings Account", "Joint Account", "Student Account"), (1, 25),
                 ("no foreign transaction fees", "instant notifications", "a 3.1% savings rate", "free transfers")),
        Category("Cards", ("Cashback Card", "Travel Card", "Business Card", "Student Card"), (1, 95),
                 ("1.5% cashback", "airport lounge access", "purchase protection", "virtual card numbers")),
    )),
)

GENERIC = Industry((), (
    Category("Essentials", ("Starter Kit", "Refill Pack", "Gift Set", "Subscription"), (9, 199),
             ("everyday durability", "recyclable packaging", "a satisfaction guarantee", "free refills")),
    Category("Premium", ("Pro Bundle", "Deluxe Edition", "Signature Set", "Annual Plan"), (49, 899),
             ("priority support", "extended warranty", "premium materials", "early access to new releases")),
    Category("Services", ("Installation", "Repair", "Consultation", "Maintenance Plan"), (29, 499),
             ("certified technicians", "same-week appointments", "a fixed price", "a 90-day guarantee")),
))

ADJECTIVES = ("Aero", "Nova", "Summit", "Echo", "Terra", "Pulse", "Vista", "Orbit", "Atlas", "Lumen", "Drift",
              "Apex", "Harbor", "Ember", "Sierra", "Quartz")
OPENINGS = (
    "The {name} is built for people who want {feature} without compromise.",
    "Meet the {name}: {feature} in a design that keeps up with real life.",
    "Designed around {feature}, the {name} is our most requested {noun} this season.",
    "With {feature}, the {name} turns an everyday {noun} into something you look forward to using.",
)
DETAILS = (
    "It also brings {feature}.",
    "Customers love that it adds {feature}.",
    "On top of that you get {feature}.",
    "Every unit ships with {feature} as standard.",
)
CARE = (
    "Covered by a two-year warranty; keep the receipt for returns within 30 days.",
    "Clean with a dry cloth and store away from direct sunlight.",
    "Returns are free within 30 days in the original packaging.",
    "Register it online to extend the warranty by one year.",
    "Spare parts are available for at least five years.",
)


@dataclass(frozen=True)
class Topic:
    name: str
    specialist: str  # the agent the router hands the caller to
    about_product: bool
    caller: tuple[str, ...]
    specialist_lines: tuple[str, ...]
    outcomes: dict[str, int]  # outcome -> weight


TOPICS = (
    Topic("order status", "customer_data", True,
          ("Hi, I ordered the {product} last week and I'd like to know where it is. The order number is {order}.",
           "Can you tell me when order {order} will arrive? It's the {product}.",
           "I'm checking on my {product}, order {order}. The tracking page hasn't changed in days."),
          ("I can see order {order}: the {product} left our warehouse yesterday and should arrive within two days.",
           "Order {order} is packed and will be handed to the carrier this afternoon.",
           "Your {product} is out for delivery today; you'll get a text when the driver is close."),
          {"resolved": 8, "follow_up": 2}),
    Topic("shipping delay", "customer_data", True,
          ("My {product} was supposed to arrive on Monday and it still isn't here. Order {order}.",
           "The delivery of order {order} keeps getting pushed back. What's going on?",
           "I've been waiting two weeks for the {product}. This is getting ridiculous."),
          ("I'm sorry about the wait: the carrier had a backlog in your area. I've upgraded order {order} to express.",
           "The {product} was held at the depot. I've asked for redelivery tomorrow and refunded the shipping fee.",
           "I can see the delay on order {order}. I've opened a trace with the carrier and will update you."),
          {"resolved": 5, "follow_up": 3, "escalated": 2, "abandoned": 1}),
    Topic("return request", "customer_data", True,
          ("I'd like to return the {product}. It doesn't fit what I needed.",
           "How do I send back the {product} from order {order}?",
           "The {product} arrived damaged and I want to return it."),
          ("I've created a return for order {order}; the prepaid label is in your inbox and the refund follows "
           "within five days of us receiving it.",
           "No problem: drop the {product} at any post office with the code I've just emailed you.",
           "I'm sorry it arrived damaged. I've arranged a pickup and a replacement {product}."),
          {"resolved": 7, "follow_up": 2, "escalated": 1}),
    Topic("warranty claim", "knowledge_base", True,
          ("My {product} stopped working after eight months. Is that covered by the warranty?",
           "The {product} has a fault, and I think it's still under warranty.",
           "What does the warranty on the {product} actually cover?"),
          ("According to our warranty policy, page 2, manufacturing faults are covered for two years, so this "
           "qualifies for a free repair or replacement.",
           "The warranty covers defects but not accidental damage; from what you describe, this is a defect.",
           "Yes, the {product} is covered: I'll start a claim and send you the repair shipping label."),
          {"resolved": 5, "follow_up": 3, "escalated": 2}),
    Topic("billing question", "customer_data", False,
          ("I was charged twice this month and I don't understand why.",
           "There's a charge on my statement I don't recognise.",
           "Why did my bill go up compared to last month?"),
          ("I see two charges; one is a pre-authorisation that will drop off within three days.",
           "That charge is your annual renewal. I can switch you to monthly billing if you prefer.",
           "The increase comes from the promotional discount ending. I've applied a loyalty discount instead."),
          {"resolved": 6, "follow_up": 2, "escalated": 2}),
    Topic("address change", "customer_data", False,
          ("I've moved and need to update my address before my next delivery.",
           "Can you change my delivery address? I'm at a new place now.",
           "Please update my address, my orders keep going to the old flat."),
          ("Done: I've updated your address and confirmed it with you. Open orders will go to the new one.",
           "I've changed the address on your profile after confirming the new one with you.",
           "Your new address is saved. Order {order} was already shipped, so I've asked the carrier to redirect it."),
          {"resolved": 9, "follow_up": 1}),
    Topic("product question", "knowledge_base", True,
          ("Does the {product} work with what I already have at home?",
           "Before I buy the {product}, can you tell me how long the battery lasts?",
           "What's the difference between the {product} and the cheaper model?"),
          ("Going by the product manual, section 3, the {product} works with all current standards.",
           "Our product sheet says it lasts up to 30 hours on one charge, about four days of normal use.",
           "The {product} adds the features you asked about; the manual's comparison table on page 4 lists them."),
          {"resolved": 8, "follow_up": 2}),
    Topic("complaint", "customer_data", True,
          ("I'm really unhappy with how my last order was handled.",
           "Your delivery driver left the {product} in the rain. It's ruined.",
           "This is the third time I'm calling about the same problem."),
          ("I'm sorry, that isn't the service we want you to have. I've logged a complaint and added a credit.",
           "I completely understand. I've arranged a replacement {product} and a refund of the delivery fee.",
           "Thank you for your patience. I'm escalating this to a supervisor who will call you back today."),
          {"resolved": 3, "escalated": 4, "follow_up": 2, "abandoned": 1}),
    Topic("cancellation", "customer_data", True,
          ("I want to cancel order {order}; I found the {product} cheaper elsewhere.",
           "Please cancel my subscription.",
           "Can I still cancel the {product} before it ships?"),
          ("Order {order} hadn't shipped yet, so I've cancelled it and the refund is on its way.",
           "I've cancelled it. Before you go, I can offer three months at half price if you'd like to stay.",
           "It's already with the carrier, so I've set up a free return instead."),
          {"resolved": 6, "follow_up": 2, "abandoned": 2}),
    Topic("technical support", "knowledge_base", True,
          ("My {product} won't turn on anymore.",
           "I can't get the {product} to connect to my phone.",
           "The {product} keeps restarting by itself."),
          ("Let's try a reset: hold the power button for ten seconds, as the troubleshooting guide describes.",
           "The setup guide says to remove the old pairing first; let's do that together now.",
           "A firmware update fixes that; I'll walk you through installing it."),
          {"resolved": 6, "follow_up": 2, "escalated": 2}),
    Topic("company news", "web_search", False,
          ("I read something about your company in the news. What's that about?",
           "Are you opening a store near me? I heard something about new locations.",
           "Is it true you're launching a new product line?"),
          ("Searching the web: the latest press release announces three new stores and a repair programme.",
           "According to recent news articles, the new product line launches next month.",
           "I found the announcement on our newsroom page: we're expanding same-day delivery."),
          {"resolved": 9, "follow_up": 1}),
    Topic("email follow-up", "executive_assistant", False,
          ("Could you email me a summary of what we discussed last time?",
           "Please send me the details of my open orders by email.",
           "I need a written confirmation of my refund for my records."),
          ("I've sent a summary to the email address on your profile.",
           "The confirmation is in your inbox now, with the order details attached.",
           "I've emailed you the written confirmation; it should arrive within a minute."),
          {"resolved": 9, "follow_up": 1}),
)

GREETINGS = (
    "Thank you for calling {company}, how can I help you today?",
    "Hello, you've reached {company}. What can I do for you?",
    "Hi, this is the {company} assistant. How can I help?",
)
HANDOFFS = {
    "customer_data": "Let me bring in our account specialist, who can see your orders.",
    "knowledge_base": "I'll connect you with our product expert, who works from our manuals and policies.",
    "web_search": "Let me hand you to our research assistant, who can look that up.",
    "executive_assistant": "I'll pass you to our assistant, who handles emails and summaries.",
}
FOLLOW_UPS = (
    "Okay. And how long will that take?",
    "Will I get a confirmation of that?",
    "Alright, is there anything I need to do?",
    "Can you make sure this doesn't happen again?",
)
ASSISTANT_FOLLOW_UP = "I'll email you a summary of this call with the next steps."
CLOSINGS = {
    "positive": ("That's great, thank you so much!", "Perfect, thanks for your help.", "Wonderful, have a nice day."),
    "neutral": ("Okay, thanks.", "Fine, I'll wait then.", "Alright, goodbye."),
    "negative": ("This still isn't good enough.", "I'm not happy about this.", "Fine. I expected better."),
}
SENTIMENT_BY_OUTCOME = {
    "resolved": {"positive": 12, "neutral": 7, "negative": 1},
    "follow_up": {"positive": 3, "neutral": 6, "negative": 1},
    "escalated": {"positive": 1, "neutral": 4, "negative": 5},
    "abandoned": {"positive": 0, "neutral": 3, "negative": 7},
}
OUTCOME_PHRASES = {
    "resolved": "the issue was resolved on the call",
    "follow_up": "a follow-up was promised",
    "escalated": "the case was escalated to a supervisor",
    "abandoned": "the caller hung up before it was resolved",
}
