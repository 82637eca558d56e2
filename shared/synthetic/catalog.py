"""Vocabulary of the offline generator: product lines per industry, and how calls about each topic go.

Data only; `offline.py` draws from it. Keywords are regular expressions matched at the start of a
word of the industry (case-insensitive), so "automobile" is not "mobile" and "fintech" is not "tech".
Features and materials belong to a product line (a tent has taped seams, a jersey does not). Text
placeholders ({product}, {order}, ...) are the facts `offline.py` fills in per conversation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One kind of product, with what is true of it: a tent has taped seams and costs more than a lantern."""

    noun: str
    price_range: tuple[float, float]  # USD; drawn log-uniformly, so the cheaper end is more common
    features: tuple[str, ...]
    materials: tuple[str, ...]  # what it is made of, or for a service what it includes


@dataclass(frozen=True)
class Category:
    name: str
    lines: tuple[Line, ...]
    uses: tuple[str, ...]  # true of every line in the category
    service: bool = False  # plans, cover and accounts are not "made of" anything
    care: tuple[str, ...] = ()  # instead of the industry's, where those do not fit (no washing sunglasses)


@dataclass(frozen=True)
class Industry:
    name: str
    keywords: tuple[str, ...]
    adjectives: tuple[str, ...]  # product-line names that suit the trade
    categories: tuple[Category, ...]
    care: tuple[str, ...]  # warranty, care and terms sentences that close a description


ELECTRONICS = Industry(
    "electronics",
    ("electronic", "tech", "gadget", "comput", "audio", "device", "camera", "gaming", "hardware", "hi-?fi"),
    ("Nova", "Pulse", "Quantum", "Vertex", "Lumen", "Echo", "Orbit", "Flux", "Zenith", "Volt", "Aura", "Photon"),
    (
        Category("Audio", (
            Line("Headphones", (79, 449),
                 ("active noise cancelling", "a 30-hour battery", "multipoint Bluetooth pairing"),
                 ("memory-foam ear cushions", "an anodised aluminium headband")),
            Line("Earbuds", (39, 299),
                 ("active noise cancelling", "a pocket-sized charging case", "a secure sport fit"),
                 ("soft silicone tips", "recycled plastics")),
            Line("Soundbar", (149, 899), ("Dolby Atmos", "a wireless subwoofer", "HDMI eARC"),
                 ("a woven fabric grille", "a brushed aluminium frame")),
            Line("Bluetooth Speaker", (39, 299), ("a 20-hour battery", "IP67 waterproofing", "party pairing"),
                 ("a rugged rubberised shell", "a recycled fabric cover")),
            Line("Smart Speaker", (49, 299), ("a built-in voice assistant", "360-degree sound", "multi-room audio"),
                 ("an acoustic fabric cover", "recycled plastics")),
        ), ("everyday listening", "music lovers", "anyone who cares about sound")),
        Category("Computing", (
            Line("Laptop", (599, 2199), ("a 14-inch OLED display", "an all-day battery", "a backlit keyboard"),
                 ("a magnesium-alloy chassis", "a recycled aluminium shell")),
            Line("Tablet", (199, 1099), ("an 11-inch display", "stylus support", "a detachable keyboard cover"),
                 ("a recycled aluminium back", "a toughened glass front")),
            Line("Monitor", (149, 899), ("a 27-inch 4K panel", "a 144 Hz refresh rate", "a height-adjustable stand"),
                 ("a matte anti-glare coating", "an aluminium stand")),
            Line("Mechanical Keyboard", (59, 229),
                 ("hot-swappable switches", "per-key RGB lighting", "a detachable cable"),
                 ("PBT keycaps", "an aluminium top plate")),
            Line("Wireless Mouse", (19, 129), ("an 8000 DPI sensor", "silent clicks", "a 70-day battery"),
                 ("a grippy textured shell", "PTFE feet")),
        ), ("hybrid work", "students", "home offices", "creative work")),
        Category("Smart home", (
            Line("Thermostat", (99, 279), ("learning schedules", "monthly energy reports", "Matter support"),
                 ("a glass and steel face", "a slim polycarbonate body")),
            Line("Video Doorbell", (59, 249), ("2K video with night vision", "two-way talk", "package detection"),
                 ("a weatherproof IP65 housing", "a zinc-alloy faceplate")),
            Line("Smart Plug", (12, 39), ("energy monitoring", "schedules and timers", "voice assistant support"),
                 ("a flame-retardant casing", "a compact polycarbonate body")),
            Line("Security Camera", (39, 299), ("end-to-end encrypted video", "motion zones", "a built-in siren"),
                 ("a weatherproof IP66 housing", "a magnetic mount")),
            Line("Smart Bulb", (9, 59), ("16 million colours", "a sunrise wake-up mode", "a 25,000-hour lifespan"),
                 ("a frosted glass diffuser", "an aluminium heat sink")),
        ), ("renters", "busy families", "a smarter home")),
        Category("Wearables", (
            Line("Smartwatch", (149, 799), ("an always-on display", "contactless payments", "built-in GPS"),
                 ("a titanium case", "a sapphire crystal")),
            Line("Fitness Tracker", (39, 199), ("heart-rate tracking", "sleep tracking", "a 14-day battery"),
                 ("a silicone sport strap", "a lightweight polymer body")),
            Line("Action Camera", (149, 499), ("4K video at 60 fps", "image stabilisation", "waterproofing to 10 m"),
                 ("a scratch-resistant lens cover", "a rugged polycarbonate body")),
            Line("Drone", (299, 1599), ("a 3-axis gimbal", "obstacle avoidance", "30-minute flights"),
                 ("carbon-fibre propellers", "a foldable magnesium frame")),
        ), ("outdoor adventures", "travel", "active weekends")),
    ),
    ("Covered by a two-year warranty, with electronic components covered for three years.",
     "Keep the firmware up to date through the companion app.",
     "Register it online to extend the warranty by one year.",
     "Returns are free within 30 days in the original packaging.",
     "Clean it with a dry microfibre cloth; never use solvents."),
)

OUTDOOR = Industry(
    "outdoor",
    ("outdoor", "sport", "camp(?:ing|er|s)?\\b", "hik", "trek", "bike", "bicycl", "cycl", "fitness", "adventure",
     "ski(?:s|ing)?\\b", "climb", "fishing", "mountain", "athlet"),
    ("Summit", "Ridge", "Trail", "Alpine", "Cascade", "Sierra", "Basecamp", "Timber", "Granite", "Tundra", "Canyon",
     "Glacier"),
    (
        Category("Camping", (
            Line("Tent", (89, 699), ("a three-season rating", "taped seams", "a five-minute pitch"),
                 ("a ripstop nylon fly", "aluminium poles")),
            Line("Sleeping Bag", (49, 399), ("a comfort rating of -5 C", "a two-way zip", "a draft collar"),
                 ("recycled down fill", "a water-resistant shell")),
            Line("Camp Stove", (29, 149),
                 ("a built-in piezo igniter", "a three-minute boil time", "a fold-out wind shield"),
                 ("a stainless steel burner", "an anodised aluminium pot support")),
            Line("Lantern", (19, 79), ("300 lumens", "a dimmable beam", "a USB power-bank function"),
                 ("a shatterproof diffuser", "a rubberised base")),
            Line("Camping Chair", (29, 149), ("a 120 kg load rating", "a cup holder", "a fold-flat frame"),
                 ("a powder-coated steel frame", "breathable mesh panels")),
            Line("Sleeping Mat", (39, 199), ("a self-inflating core", "an R-value of 4", "a non-slip base"),
                 ("open-cell foam", "a brushed polyester top")),
        ), ("weekend camping trips", "festival season", "family campsites")),
        Category("Hiking", (
            Line("Backpack", (59, 299), ("a ventilated back panel", "a hip belt with pockets", "a built-in rain cover"),
                 ("recycled nylon", "an aluminium frame sheet")),
            Line("Trekking Poles", (39, 179), ("twist-lock adjustment", "cork grips", "a folding design"),
                 ("carbon fibre shafts", "tungsten tips")),
            Line("Hiking Boots", (99, 299), ("a waterproof membrane", "grippy Vibram soles", "ankle support"),
                 ("full-grain leather", "a cushioned EVA midsole")),
            Line("Rain Jacket", (79, 399), ("a breathable membrane", "pit zips", "a helmet-compatible hood"),
                 ("three-layer recycled polyester", "fully taped seams")),
            Line("Headlamp", (19, 99), ("a 400-lumen beam", "a red night mode", "USB-C charging"),
                 ("a sealed polycarbonate housing", "a soft elastic band")),
        ), ("long day hikes", "multi-day treks", "early-morning starts")),
        Category("Cycling", (
            Line("Bike Helmet", (49, 259), ("MIPS protection", "16 air vents", "a magnetic buckle"),
                 ("an in-moulded polycarbonate shell", "washable pads")),
            Line("Bike Light", (19, 129), ("a 1000-lumen beam", "a daytime flash mode", "a quick-release mount"),
                 ("an aluminium body", "a water-resistant seal")),
            Line("Saddle Bag", (19, 79), ("a roll-top closure", "reflective trims", "a 1.5-litre capacity"),
                 ("welded water-resistant TPU", "hook-and-loop straps")),
            Line("Cycling Jersey", (39, 149), ("a full-length zip", "three rear pockets", "a race fit"),
                 ("a moisture-wicking mesh", "recycled polyester")),
            Line("Cycling Gloves", (15, 59), ("gel padding", "touchscreen fingertips", "a pull-off tab"),
                 ("a synthetic leather palm", "breathable mesh")),
        ), ("daily commuting", "gravel rides", "long summer tours")),
        Category("Water sports", (
            Line("Kayak Paddle", (59, 349), ("a feathered blade", "a two-piece shaft", "drip rings"),
                 ("fibreglass-reinforced nylon blades", "an aluminium shaft")),
            Line("Dry Bag", (15, 59), ("a roll-top seal", "a shoulder strap", "a 20-litre capacity"),
                 ("welded PVC-free fabric", "a reinforced base")),
            Line("Life Vest", (49, 199), ("adjustable buoyancy", "a front zip", "reflective panels"),
                 ("closed-cell foam", "a tough nylon outer")),
            Line("Snorkel Set", (29, 129), ("an anti-fog mask", "a dry-top snorkel", "adjustable fins"),
                 ("soft silicone", "tempered glass lenses")),
        ), ("lake days", "summer holidays", "days on the water")),
    ),
    ("Let it dry completely before storing it.",
     "The product care manual explains cleaning and storage.",
     "Covered by a two-year limited warranty against defects in materials and workmanship.",
     "Unused items can be returned within 30 days of delivery.",
     "Spare parts and repair kits are available for at least five years."),
)

HOME = Industry(
    "home",
    ("home", "kitchen", "furnitur", "furnish", "applianc", "house", "decor", "garden", "cookware", "interior", "bath"),
    ("Hearth", "Maple", "Linden", "Harbor", "Willow", "Oakley", "Cedar", "Meadow", "Birch", "Haven", "Juniper", "Elm"),
    (
        Category("Kitchen", (
            Line("Blender", (49, 499), ("a 1200 W motor", "six speed settings", "a pulse function"),
                 ("a BPA-free Tritan jug", "stainless steel blades")),
            Line("Chef's Knife", (39, 249), ("a full tang", "a 20-degree edge", "a balanced handle"),
                 ("forged German steel", "a pakkawood handle")),
            Line("Dutch Oven", (59, 399), ("a self-basting lid", "oven safety to 260 C", "even heat"),
                 ("enamelled cast iron", "a stainless steel knob")),
            Line("Coffee Grinder", (39, 399), ("40 grind settings", "a timed dose", "low-retention burrs"),
                 ("conical steel burrs", "a brushed stainless steel body")),
            Line("Air Fryer", (69, 249), ("a 5-litre basket", "eight presets", "a viewing window"),
                 ("a non-stick ceramic basket", "a heat-resistant housing")),
            Line("Kettle", (29, 179), ("precise temperature control", "a keep-warm function", "a gooseneck spout"),
                 ("brushed stainless steel", "a cool-touch handle")),
        ), ("weeknight cooking", "small kitchens", "anyone who loves to cook")),
        Category("Furniture", (
            Line("Desk", (149, 999), ("a height-adjustable top", "hidden cable management", "a memory keypad"),
                 ("solid oak", "a powder-coated steel frame")),
            Line("Armchair", (199, 1299), ("deep seat cushions", "removable covers", "a reclining back"),
                 ("a stain-resistant woven fabric", "solid beech legs")),
            Line("Bookshelf", (89, 499), ("adjustable shelves", "wall anchoring", "tool-free assembly"),
                 ("FSC-certified walnut veneer", "a powder-coated steel frame")),
            Line("Bed Frame", (199, 1499), ("under-bed storage", "a slatted base", "a padded headboard"),
                 ("solid pine", "an upholstered linen-blend headboard")),
            Line("Dining Table", (249, 1899), ("an extendable top", "seating for six", "rounded corners"),
                 ("solid oak", "a heat-resistant lacquer")),
        ), ("compact apartments", "family homes", "first homes"),
            care=("Assembly instructions and spare fittings are in the box.", "The frame has a five-year warranty.",
                  "Wipe it with a damp cloth and avoid abrasive cleaners.")),
        Category("Cleaning", (
            Line("Vacuum", (99, 699), ("a sealed HEPA filter", "a 60-minute runtime", "a pet hair tool"),
                 ("an aluminium wand", "a recycled ABS body")),
            Line("Steam Mop", (59, 199), ("a 30-second heat-up", "three steam levels", "a carpet glider"),
                 ("washable microfibre pads", "a lightweight aluminium handle")),
            Line("Air Purifier", (99, 599), ("a three-stage filter", "an air quality sensor", "a night mode"),
                 ("a true HEPA filter", "a recycled plastic body")),
            Line("Robot Vacuum", (199, 1299), ("lidar navigation", "a self-emptying base", "no-go zones"),
                 ("a tangle-free rubber brush", "a scratch-resistant top")),
        ), ("homes with pets", "allergy season", "busy households")),
        Category("Bed & bath", (
            Line("Duvet", (59, 399), ("all-season warmth", "corner ties", "box-stitched baffles"),
                 ("responsibly sourced down", "a cotton percale cover")),
            Line("Towel Set", (29, 149), ("quick-dry weave", "hanging loops", "600 gsm weight"),
                 ("Turkish cotton", "organic cotton")),
            Line("Pillow", (25, 129), ("an adjustable fill", "a cooling cover", "hypoallergenic fill"),
                 ("shredded memory foam", "a bamboo viscose cover")),
            Line("Sheet Set", (49, 299), ("a 400 thread count", "deep pockets", "a crisp percale weave"),
                 ("long-staple organic cotton", "stonewashed linen")),
        ), ("guest rooms", "a spa feeling at home", "everyday comfort")),
    ),
    ("Covered by a two-year warranty.",
     "Returns are free within 30 days in the original packaging.",
     "The care card in the box has the full cleaning instructions."),
)

FASHION = Industry(
    "fashion",
    ("fashion", "apparel", "cloth", "shoe", "footwear", "\\w*wear\\b", "garment", "boutique", "textile", "jewel",
     "accessor", "style"),
    ("Linen", "Urban", "Harlow", "Marlowe", "Sloane", "Indigo", "Ember", "Sage", "Coastal", "Heritage", "Noir",
     "Ivory"),
    (
        Category("Outerwear", (
            Line("Parka", (149, 599), ("a detachable hood", "a two-way zip", "a water-repellent finish"),
                 ("recycled down fill", "a recycled nylon shell")),
            Line("Trench Coat", (129, 499), ("a storm flap", "a removable belt", "a water-repellent finish"),
                 ("cotton gabardine", "horn buttons")),
            Line("Puffer Vest", (59, 249), ("a packable design", "hidden inner pockets", "a high collar"),
                 ("recycled down fill", "a lightweight ripstop shell")),
            Line("Wool Coat", (179, 699), ("a tailored cut", "hidden inner pockets", "a notched lapel"),
                 ("Italian wool", "a satin lining")),
            Line("Denim Jacket", (59, 199), ("a relaxed fit", "chest pockets", "a corduroy collar"),
                 ("organic denim", "copper rivets")),
        ), ("city winters", "rainy commutes", "weekend getaways")),
        Category("Footwear", (
            Line("Sneakers", (59, 229), ("a cushioned footbed", "a wide-fit option", "a padded collar"),
                 ("full-grain leather", "a recycled rubber sole")),
            Line("Loafers", (79, 299), ("a hand-stitched moc toe", "a cushioned footbed", "a flexible sole"),
                 ("suede", "a leather lining")),
            Line("Chelsea Boots", (99, 349), ("elastic side panels", "a Goodyear-welted sole", "pull tabs"),
                 ("full-grain leather", "a commando rubber sole")),
            Line("Sandals", (29, 149), ("adjustable straps", "a contoured footbed", "a quick-dry lining"),
                 ("cork", "vegetable-tanned leather")),
            Line("Running Shoes", (69, 219), ("a responsive foam midsole", "a breathable knit upper", "a 6 mm drop"),
                 ("a recycled mesh upper", "a durable rubber outsole")),
        ), ("all-day wear", "the office", "long walks"),
            care=("Brush off dirt and let them dry away from radiators.",
                  "Returns are accepted within 30 days, unworn and in the box.",
                  "Exchanges for a different size are free once per order.")),
        Category("Accessories", (
            Line("Belt", (25, 129), ("a reversible design", "five adjustment holes", "hand-finished edges"),
                 ("vegetable-tanned leather", "a brass buckle")),
            Line("Scarf", (19, 199), ("an oversized cut", "fringed edges", "a brushed finish"),
                 ("cashmere", "a merino and silk blend")),
            Line("Tote Bag", (29, 249), ("an inner zip pocket", "a laptop sleeve", "a magnetic clasp"),
                 ("heavy organic canvas", "leather handles")),
            Line("Wallet", (25, 149), ("RFID blocking", "eight card slots", "a coin pocket"),
                 ("full-grain leather", "a recycled nylon lining")),
            Line("Sunglasses", (29, 229), ("polarised lenses", "UV400 protection", "spring hinges"),
                 ("a bio-acetate frame", "scratch-resistant lenses")),
        ), ("gifting", "travel days", "everyday errands"),
            care=("Wipe it clean with a soft, dry cloth.", "Comes in a reusable dust bag.",
                  "Returns are accepted within 30 days in the original packaging.")),
        Category("Essentials", (
            Line("Sweater", (39, 249), ("a relaxed fit", "ribbed cuffs", "a crew neck"),
                 ("extra-fine merino", "a cotton and cashmere blend")),
            Line("Oxford Shirt", (35, 129), ("a button-down collar", "a tailored cut", "a chest pocket"),
                 ("heavyweight organic cotton", "mother-of-pearl buttons")),
            Line("T-Shirt", (15, 59), ("pre-shrunk fabric", "reinforced seams", "a boxy fit"),
                 ("heavyweight organic cotton", "a cotton and linen blend")),
            Line("Chinos", (39, 129), ("a slim taper", "a hidden stretch waistband", "deep pockets"),
                 ("stretch cotton twill", "a recycled polyester blend")),
        ), ("layering", "casual Fridays", "capsule wardrobes")),
    ),
    ("Exchanges for a different size are free once per order.",
     "Returns are accepted within 30 days with the tags attached.",
     "Follow the care label to keep it looking new.",
     "Store it away from direct sunlight to keep the colour."),
)

DEVICE_CARE = ("Devices carry a two-year warranty.", "Unopened devices can be returned within 30 days.",
               "Prices include taxes and fees.")

TELECOM = Industry(
    "telecom",
    ("telecom", "telco", "mobile", "phone", "smartphone", "internet", "broadband", "wireless", "cable", "fib(?:er|re)",
     "isp\\b", "5g", "carrier", "network"),
    ("Connect", "Flex", "Swift", "Spark", "Horizon", "Velocity", "Signal", "Beacon", "Stream", "Metro", "Nimbus",
     "Relay"),
    (
        Category("Mobile plans", (
            Line("Unlimited Plan", (45, 95), ("unlimited 5G data", "unlimited calls and texts", "hotspot sharing"),
                 ("a free eSIM", "a streaming subscription")),
            Line("Prepaid Plan", (10, 40), ("no credit check", "rollover data", "top-ups in the app"),
                 ("a free SIM", "spam-call blocking")),
            Line("Family Plan", (80, 180), ("up to five lines", "shared data", "parental controls"),
                 ("a free eSIM for every line", "one bill for the family")),
            Line("Travel Pass", (5, 15), ("roaming in 80 countries", "daily caps", "automatic activation"),
                 ("free incoming calls abroad", "a data usage alert")),
        ), ("heavy streamers", "families", "frequent travellers"), service=True),
        Category("Home internet", (
            Line("Fiber 500", (45, 70), ("500 Mbps symmetrical speeds", "no data caps", "a Wi-Fi 6 router"),
                 ("free professional installation", "24/7 technical support")),
            Line("Fiber 1000", (65, 100), ("gigabit symmetrical speeds", "a Wi-Fi 7 router", "a static IP option"),
                 ("free professional installation", "a 30-day speed guarantee")),
            Line("Cable 300", (30, 55), ("300 Mbps downloads", "no data caps", "self-installation in minutes"),
                 ("a modem-router", "24/7 technical support")),
            Line("Mesh Wi-Fi Pack", (10, 20), ("whole-home coverage", "automatic band steering", "a guest network"),
                 ("three mesh points", "app-based setup")),
        ), ("working from home", "online gaming", "busy shared homes"), service=True),
        Category("Devices", (
            Line("Smartphone", (199, 1299), ("a 120 Hz display", "a triple camera", "two-day battery life"),
                 ("a Gorilla Glass back", "a recycled aluminium frame")),
            Line("Router", (59, 299), ("Wi-Fi 6E", "four gigabit ports", "built-in parental controls"),
                 ("a ventilated matte casing", "detachable antennas")),
            Line("Mobile Hotspot", (79, 249), ("5G speeds", "up to 32 connected devices", "a 24-hour battery"),
                 ("a pocket-sized polycarbonate body", "a colour status screen")),
            Line("Smartwatch", (149, 799), ("an eSIM", "fall detection", "an always-on display"),
                 ("an aluminium case", "a sport band")),
        ), ("staying connected", "upgrading old equipment", "busy households"), care=DEVICE_CARE),
        Category("Accessories", (
            Line("Phone Case", (15, 59), ("MagSafe compatibility", "drop protection to 3 m", "raised camera edges"),
                 ("shock-absorbing TPU", "recycled plastics")),
            Line("Fast Charger", (19, 69), ("65 W charging", "two USB-C ports", "a foldable plug"),
                 ("gallium nitride components", "a fire-resistant casing")),
            Line("Screen Protector", (9, 39), ("9H hardness", "a bubble-free fit", "an installation frame"),
                 ("tempered glass", "an oleophobic coating")),
            Line("Power Bank", (25, 99), ("a 20,000 mAh capacity", "pass-through charging", "a digital charge display"),
                 ("a braided cable", "an aluminium shell")),
        ), ("everyday carry", "long travel days", "anyone with a new phone"), care=DEVICE_CARE),
    ),
    ("There is no annual contract; cancel any time with 30 days' notice.",
     "Check the coverage at your address before you order.",
     "Prices include taxes and fees.",
     "Manage everything in the account app."),
)

FINANCIAL = Industry(
    "financial",
    ("insur", "assur", "bank", "financ", "fintech", "loan", "credit", "mortgage", "invest", "payment", "lend",
     "wealth"),
    ("Secure", "Prime", "Keystone", "Sterling", "Anchor", "Liberty", "Meridian", "Crest", "Harbor", "Summit",
     "Beacon", "Trust"),
    (
        Category("Insurance", (
            Line("Home Cover", (15, 60), ("new-for-old replacement", "accidental damage cover", "24/7 claims support"),
                 ("emergency accommodation", "legal expenses cover")),
            Line("Travel Cover", (9, 45),
                 ("worldwide cover", "medical expenses up to 5 million dollars", "cancellation cover"),
                 ("a 24/7 medical helpline", "winter sports cover")),
            Line("Pet Cover", (12, 80), ("lifetime cover", "vet fees up to 10,000 dollars", "no upper age limit"),
                 ("a free video vet service", "boarding fees cover")),
            Line("Car Cover", (35, 180), ("a no-claims bonus", "windscreen cover", "24/7 claims support"),
                 ("a courtesy car", "breakdown assistance")),
        ), ("peace of mind", "families", "anyone who wants claims handled quickly"), service=True),
        Category("Accounts", (
            Line("Checking Account", (1, 15),
                 ("no foreign transaction fees", "instant notifications", "early salary access"),
                 ("a contactless debit card", "savings pots")),
            Line("Savings Account", (1, 5), ("a 3.1% savings rate", "instant access", "no minimum balance"),
                 ("automatic round-ups", "goal tracking")),
            Line("Joint Account", (2, 15), ("shared spending insights", "two debit cards", "free transfers"),
                 ("a shared budgeting tool", "spending notifications for both holders")),
            Line("Student Account", (1, 3), ("an interest-free overdraft", "no monthly fee", "instant notifications"),
                 ("a student discount card", "a contactless debit card")),
        ), ("everyday money", "people who bank on their phone", "anyone sorting out their finances"), service=True),
        Category("Cards", (
            Line("Cashback Card", (1, 95),
                 ("1.5% cashback", "no annual fee for the first year", "virtual card numbers"),
                 ("purchase protection", "fraud monitoring")),
            Line("Travel Card", (49, 250), ("airport lounge access", "no foreign transaction fees", "air miles"),
                 ("travel insurance", "a metal card")),
            Line("Business Card", (1, 150), ("expense tracking", "employee cards", "a 45-day interest-free period"),
                 ("accounting software integration", "fraud monitoring")),
            Line("Student Card", (1, 5), ("a low credit limit", "no annual fee", "credit-score tracking"),
                 ("spending alerts", "purchase protection")),
        ), ("online shopping", "everyday spending", "paying by phone"), service=True),
        Category("Loans", (
            Line("Personal Loan", (5, 49), ("a fixed rate", "no early repayment fee", "a decision in minutes"),
                 ("flexible terms from one to seven years", "a repayment holiday option")),
            Line("Car Loan", (5, 49), ("a fixed rate", "terms up to seven years", "no deposit needed"),
                 ("gap insurance at a discount", "a dealer-independent approval")),
            Line("Home Improvement Loan", (5, 49), ("a fixed rate", "funds the next working day", "no arrangement fee"),
                 ("flexible terms up to ten years", "a repayment holiday option")),
        ), ("big plans", "spreading the cost of a large purchase", "predictable repayments"), service=True),
    ),
    ("Terms and conditions apply; the product documents list the exclusions.",
     "You can cancel within 14 days for a full refund.",
     "Manage everything in the mobile app.",
     "Our team answers calls around the clock."),
)

GENERIC = Industry(
    "generic",
    (),
    ("Aero", "Nova", "Apex", "Vista", "Atlas", "Prime", "Echo", "Terra", "Orbit", "Bright", "Core", "Pioneer"),
    (
        Category("Essentials", (
            Line("Starter Kit", (19, 99),
                 ("everything you need to begin", "a quick-start guide", "a satisfaction guarantee"),
                 ("sustainably sourced materials", "a reusable case")),
            Line("Refill Pack", (9, 49), ("three months of supply", "free delivery", "a lower price per unit"),
                 ("plastic-free packaging", "recyclable pouches")),
            Line("Gift Set", (29, 149), ("a handwritten card", "gift wrapping", "a gift receipt"),
                 ("a hand-finished gift box", "tissue paper made from recycled fibre")),
        ), ("first-time customers", "gifting", "everyday use")),
        Category("Premium", (
            Line("Pro Bundle", (99, 599), ("priority support", "an extended warranty", "early access to new releases"),
                 ("premium materials", "a travel case")),
            Line("Deluxe Edition", (79, 399), ("a personal engraving", "an extended warranty", "exclusive colours"),
                 ("premium materials", "a numbered certificate")),
            Line("Signature Set", (149, 899), ("a curated selection", "a personal engraving", "a lifetime guarantee"),
                 ("premium materials", "a hand-finished gift box")),
        ), ("special occasions", "enthusiasts", "corporate gifts")),
        Category("Services", (
            Line("Installation", (49, 299), ("certified technicians", "same-week appointments", "a fixed price"),
                 ("all labour and travel", "removal of the packaging")),
            Line("Repair Service", (39, 249), ("a 90-day guarantee", "free collection", "genuine spare parts"),
                 ("a written report", "a loan unit while you wait")),
            Line("Maintenance Plan", (9, 49), ("an annual check-up", "priority appointments", "a fixed monthly price"),
                 ("all labour and travel", "a follow-up visit")),
        ), ("busy households", "small businesses", "landlords"), service=True),
    ),
    ("Covered by a two-year warranty.",
     "Returns are free within 30 days.",
     "Our support team is available seven days a week.",
     "Prices include taxes."),
)

# Order matters: the first industry with a matching keyword wins ("home insurance" is insurance).
INDUSTRIES = (FINANCIAL, TELECOM, ELECTRONICS, OUTDOOR, FASHION, HOME)

SERIES = ("S", "X", "M", "L", "R", "T", "Z", "GT")
EDITIONS = ("Pro", "Lite", "Plus", "Max", "Mini", "Air")

# Description sentences: an opening, then two or three of the middle kinds in any order, then terms.
OPENINGS = (  # no article before {noun}: "Hiking Boots" and "Chinos" are plural
    "The {name} is built for people who want {feature} without compromise.",
    "Meet the {name}: {feature}, made to keep up with real life.",
    "Designed around {feature}, the {name} is one of the most requested products in our {category} range.",
    "With {feature}, every day with the {name} is something to look forward to.",
    "Our {category} team spent two years on the {name}, down to details like {feature}.",
    "Looking for {feature}? Try the {name}.",
)
MATERIAL_SENTENCES = (
    "It is made with {material}.",
    "We chose {material} so it lasts for years.",
    "Built with {material}, it feels solid from the first day.",
    "Look closely and you will notice {material}.",
)
INCLUDED_SENTENCES = (
    "It includes {material}.",
    "Every customer also gets {material}.",
    "At no extra cost you get {material}.",
)
FEATURE_SENTENCES = (
    "It also brings {feature}.",
    "Customers tell us they love {feature}.",
    "On top of that you get {feature}.",
    "Every one comes with {feature} as standard.",
)
USE_SENTENCES = (
    "Ideal for {use}.",
    "A favourite for {use}.",
    "It is what we recommend for {use}.",
    "Made with {use} in mind.",
)


@dataclass(frozen=True)
class Scenario:
    """One way a call on a topic goes: the specialist looks into it, the caller adds something, and the
    answer that fits both. A probe ending in "?" always gets the caller's detail."""

    probe: str
    detail: str
    resolve: str


@dataclass(frozen=True)
class Topic:
    name: str
    specialist: str  # the agent the router hands the caller to
    about_product: bool  # sets the conversation's product_id
    weight: int  # how common the topic is among calls
    gist: str  # the middle of the summary: "<caller> {gist}"
    caller: tuple[str, ...]  # the caller's opening; each fits every scenario
    scenarios: tuple[Scenario, ...]
    outcomes: dict[str, int]  # outcome -> weight
    statuses: tuple[str, ...] = ()  # purchase statuses that fit the topic; () for any
    second: str | None = None  # a specialist that sometimes joins
    second_lines: tuple[str, ...] = ()


TOPICS = (
    Topic("order status", "customer_data", True, 14, "asked where order {order} for the {product} was",
          ("Hi, I ordered the {product} a few days ago and I'd like to know where it is. The order number is {order}.",
           "Can you tell me when order {order} will arrive? It's the {product}.",
           "I'm checking on my {product}, order {order}.",
           "Hello, I'm calling about order {order}. Where is it at the moment?",
           "I placed an order for the {product} on {date} and I'd like an update."),
          (Scenario("I have order {order} here for the {product}, placed on {date}: it {status_line}.",
                    "Will I get a tracking link by email?",
                    "I've just sent the tracking link to {email}; you'll also get a text when the driver is close."),
           Scenario("Thanks for waiting, {first}. Order {order} {status_line}.",
                    "Can the driver leave it with a neighbour if I'm out?",
                    "I've added a delivery note so the driver can leave it with a neighbour."),
           Scenario("Looking at order {order} now: the {product} {status_line}.",
                    "Is there any way to speed it up? I need it by the weekend.",
                    "I've upgraded the shipping to express at no cost, so it should be with you tomorrow.")),
          {"resolved": 8, "follow_up": 2, "escalated": 1}, ("ordered", "shipped")),
    Topic("shipping delay", "customer_data", True, 10, "reported that order {order} for the {product} was late",
          ("My {product} was supposed to arrive on Monday and it still isn't here. Order {order}.",
           "The delivery of order {order} keeps getting pushed back. What's going on?",
           "I've been waiting far too long for the {product}. This is getting ridiculous.",
           "The tracking for order {order} hasn't moved in five days."),
          (Scenario("I'm sorry about the wait. Order {order} {status_line}, but the carrier has a backlog in your "
                    "area.",
                    "I paid for fast shipping, so I expect that money back.",
                    "You're right to ask. I've refunded the shipping fee and upgraded order {order} to express."),
           Scenario("I can see the delay on order {order}: the parcel was held at the {city} depot.",
                    "I need it for a trip on Friday.",
                    "I've booked redelivery for tomorrow morning and added a 10% credit to your account."),
           Scenario("Let me check with the carrier. The last scan of order {order} is from the sorting centre, three "
                    "days ago.",
                    "This is the second time this has happened.",
                    "I've opened a trace with the carrier and sent a replacement {product} by express today.")),
          {"resolved": 5, "follow_up": 3, "escalated": 2, "abandoned": 1}, ("shipped", "ordered"),
          "knowledge_base",
          ("Our shipping guide says that when tracking hasn't updated for five days we open a trace, and lost "
           "parcels are replaced or refunded in full.",)),
    Topic("return request", "customer_data", True, 10, "wanted to return the {product} from order {order}",
          ("I'd like to return the {product}. It isn't what I needed.",
           "How do I send back the {product} from order {order}?",
           "I want to return the {product} I bought on {date}.",
           "I bought the {product} and changed my mind. Can I still return it?",
           "I need to return something from order {order}."),
          (Scenario("I can see order {order}, delivered {days} days ago, so it's within our 30-day return window.",
                    "Do I have to pay for the return shipping?",
                    "No, returns are free: the prepaid label is in your inbox, and the refund of {total} follows "
                    "within five business days of it reaching us."),
           Scenario("Let me check order {order}. Yes, the {product} can go back as long as it's unused and in its "
                    "packaging.",
                    "Can I just drop it off somewhere?",
                    "Yes: take it to any post office with the return code I've just emailed to {email}."),
           Scenario("I have order {order} open. Was anything wrong with the {product}?",
                    "Actually, one part was broken when I opened the box.",
                    "I'm sorry about that. I've arranged a courier pickup and a replacement {product}, free of "
                    "charge.")),
          {"resolved": 7, "follow_up": 2, "escalated": 1}, ("delivered",),
          "knowledge_base",
          ("Our returns policy says refunds go back to the original payment method within five business days.",
           "The policy also allows one free exchange per order if you'd rather have a different size or colour.")),
    Topic("warranty claim", "knowledge_base", True, 7,
          "asked whether a fault with the {product} was covered by the warranty",
          ("My {product} stopped working properly after a few months. Is that covered by the warranty?",
           "The {product} has a fault, and I think it's still under warranty.",
           "What does the warranty on the {product} cover? Mine has developed a fault.",
           "I'd like to make a warranty claim for my {product}."),
          (Scenario("According to our warranty terms, defects in materials and workmanship are covered for two years "
                    "from the date of purchase.",
                    "How long does a repair usually take?",
                    "I've started the claim: you'll get a prepaid label, and repairs are completed within 14 days."),
           Scenario("Your {product} was bought on {date}, so it's well within the two-year warranty.",
                    "Do I need the original receipt?",
                    "No, order {order} is your proof of purchase. The claim is open and the label is on its way."),
           Scenario("The warranty terms exclude normal wear and accidental damage, but a fault like this counts as a "
                    "defect.",
                    "Can I get a replacement instead of a repair?",
                    "Yes: since it's a defect, we'll replace the {product}, and the new one ships this week.")),
          {"resolved": 5, "follow_up": 3, "escalated": 2}, ("delivered",),
          "customer_data",
          ("I've checked your account: order {order} is registered to you, so the claim can go ahead.",)),
    Topic("billing question", "customer_data", False, 9, "queried a charge of {amount} on their account",
          ("I have a question about a charge of {amount} on my statement.",
           "There's a charge of {amount} on my card that I don't recognise.",
           "Can you explain why I was charged {amount}?",
           "I think I was charged {amount} by mistake."),
          (Scenario("I can see two charges of {amount}; one is a pre-authorisation that normally drops off within "
                    "three days.",
                    "It's been a week already, though.",
                    "I've reversed it for you; you'll see the {amount} back within five business days."),
           Scenario("That charge of {amount} is your annual membership renewal.",
                    "Can I pay monthly instead?",
                    "I've switched you to monthly billing from now on and applied a loyalty discount."),
           Scenario("Your promotional discount ended this month, which is where the {amount} comes from.",
                    "Nobody told me it would end.",
                    "I'm sorry we didn't make that clear. I've refunded the {amount} and applied a loyalty discount "
                    "for six months.")),
          {"resolved": 6, "follow_up": 2, "escalated": 2}),
    Topic("address change", "customer_data", False, 6, "asked to update their address to {street}, {city}",
          ("I've moved and need to update my address before my next delivery.",
           "Can you change my delivery address? I'm now at {street}, {city}.",
           "Please update my address, my orders keep going to my old place.",
           "I've just moved to {city}. How do I change the address on my account?"),
          (Scenario("Of course. Can you tell me the full new address, including the postal code?",
                    "It's {street}, {postal_code} {city}.",
                    "Thanks. Your address is now {street}, {city}, and open orders will go there."),
           Scenario("I can help with that, {first}. What's the new address?",
                    "{street}, {postal_code} {city}.",
                    "Let me read it back: {street}, {postal_code} {city}. It's saved, and the old address stays on "
                    "file in case a parcel goes astray."),
           Scenario("Sure. Before I change anything, please confirm the full new address.",
                    "Yes, it's {street}, {postal_code} {city}.",
                    "Your new address is saved. I've also asked the carrier to redirect anything already in "
                    "transit.")),
          {"resolved": 9, "follow_up": 1}),
    Topic("product question", "knowledge_base", True, 9, "had questions about the {product}",
          ("I have a question about the {product}.",
           "Can you tell me more about the {product}?",
           "I'd like some advice on the {product}.",
           "Quick question about the {product} from my order {order}."),
          (Scenario("Sure. The {product} is part of our {category} range, and I have its documentation open.",
                    "How should I clean and store it?",
                    "The care manual says to clean it gently and store it dry; I've emailed you the page."),
           Scenario("Of course. I have the product sheet for the {product} in front of me.",
                    "Is there a warranty on it?",
                    "Yes, it comes with a two-year warranty against defects, and I've sent the product sheet to "
                    "{email}."),
           Scenario("Happy to help. The {product} currently costs {price}, and the manual covers most questions.",
                    "Could I order a second one?",
                    "Right now {availability}.")),
          {"resolved": 8, "follow_up": 2},
          (), "web_search",
          ("I searched recent reviews: testers rate the {product} among the best in its class.",
           "A web search shows the {product} was updated this year; the new version is the one we sell.")),
    Topic("complaint", "customer_data", True, 7, "complained about order {order} and the {product}",
          ("I'm really unhappy with how my order {order} was handled.",
           "Your delivery driver left the {product} out in the rain.",
           "This is the third time I'm calling about the same problem with order {order}.",
           "The {product} I got looks nothing like the pictures on your website."),
          (Scenario("I'm sorry, {first}, that isn't the experience we want you to have. Let me pull up order {order}.",
                    "I just want this sorted out today.",
                    "I've logged a formal complaint and added a {amount} credit to your account today."),
           Scenario("I completely understand your frustration. I can see order {order} for the {product}.",
                    "I expect some kind of compensation.",
                    "I've arranged a replacement {product} and refunded the delivery fee."),
           Scenario("Thank you for telling us. I've read the notes on your account.",
                    "Nobody ever calls me back.",
                    "I've refunded order {order} in full, and you can keep the {product}.")),
          {"resolved": 3, "escalated": 4, "follow_up": 2, "abandoned": 1},
          (), "executive_assistant",
          ("I've emailed you a written record of your complaint, case {case}, so you have it for reference.",)),
    Topic("cancellation", "customer_data", True, 6, "asked to cancel order {order} for the {product}",
          ("I want to cancel order {order}.",
           "Please cancel my order for the {product}.",
           "Can I still cancel the {product}?",
           "I ordered the {product} by mistake. Can you cancel it?"),
          (Scenario("Let me check order {order}. It {status_line}.",
                    "I'd just like my money back, please.",
                    "I've cancelled order {order}; if the parcel still arrives, just refuse it. The refund of {total} "
                    "is on its way to your card."),
           Scenario("I can see order {order} for the {product}, placed on {date}.",
                    "How long does the refund take?",
                    "I've cancelled it; the refund of {total} reaches your card within five business days, and the "
                    "confirmation is on its way to {email}."),
           Scenario("I can do that. May I ask what made you change your mind?",
                    "I found it cheaper somewhere else.",
                    "Thanks for telling us. We match prices within 14 days, so I've kept the order and refunded the "
                    "difference instead.")),
          {"resolved": 6, "follow_up": 2, "abandoned": 2}, ("ordered", "shipped")),
    Topic("technical support", "knowledge_base", True, 8, "needed help with a {product} that stopped working properly",
          ("My {product} isn't working properly anymore.",
           "I need help with my {product}; something's wrong with it.",
           "The {product} from order {order} has stopped working the way it should.",
           "I think my {product} is faulty."),
          (Scenario("Let's go through the troubleshooting guide for the {product} together. First, can you check it "
                    "for visible damage?",
                    "No, there's nothing visible.",
                    "Then the guide says it's most likely a worn part. I've ordered a free replacement part and "
                    "emailed you the fitting instructions."),
           Scenario("The troubleshooting guide lists three common causes for this; the first one is usually it.",
                    "Okay, I tried that and it seems fine now.",
                    "Great. I've emailed you the guide in case it happens again."),
           Scenario("I see the {product} on order {order}, delivered on {delivered}. The manual suggests a few checks "
                    "first.",
                    "I already tried everything in the manual.",
                    "Thanks for trying. It looks like a defect, so I've started a replacement under warranty.")),
          {"resolved": 6, "follow_up": 2, "escalated": 2}, ("delivered",),
          "web_search",
          ("I searched for reports of this: other owners have seen the same, and the manufacturer published a fix "
           "this week.",)),
    Topic("company news", "web_search", False, 4, "asked about recent news from {company}",
          ("I read something about {company} in the news. What's that about?",
           "I heard {company} has some news. What's new?",
           "Are there any announcements from {company} I should know about?",
           "Someone told me {company} is changing something. Is that true?"),
          (Scenario("Let me search for that. The latest press release says {company} opens three new stores this "
                    "spring.",
                    "Is there one near {city}?",
                    "The article lists the locations; I've sent you the link by email so you can check."),
           Scenario("According to a recent news article, {company} now repairs products for free during the warranty.",
                    "Does that apply to things I already bought?",
                    "Yes, the programme covers products bought before the launch as well."),
           Scenario("I found the announcement: {company} is extending same-day delivery to five more cities.",
                    "Where can I read more?",
                    "You can read the full announcement on our newsroom page; I've emailed you the link.")),
          {"resolved": 9, "follow_up": 1}),
    Topic("email follow-up", "executive_assistant", False, 4, "asked for an email with the details of their account",
          ("Could you email me a summary of what we discussed last time?",
           "Please send me the details of my recent orders by email.",
           "I need a written confirmation for my records.",
           "Can you email me my latest invoice?"),
          (Scenario("Certainly. I'll send it to {email}, the address on your profile. Is that right?",
                    "Yes, that's the right address.",
                    "I've sent it to {email}; it should arrive within a minute."),
           Scenario("I can do that. Should it include everything since {since}?",
                    "Just this year, please.",
                    "Done: the email with this year's details is in your inbox now."),
           Scenario("Of course, {first}. One moment while I put it together.",
                    "Thanks, I need it for my accountant.",
                    "It's on its way to {email}, with a PDF attached.")),
          {"resolved": 9, "follow_up": 1}),
    Topic("loyalty programme", "customer_data", False, 6, "asked about their {tier} loyalty benefits",
          ("I have a question about my loyalty points.",
           "What do I get as a {tier} member?",
           "How does your loyalty programme work?",
           "My loyalty points from my last order seem to be missing."),
          (Scenario("You've been a {tier} member since {since}; let me open your points balance.",
                    "Do the points expire?",
                    "They never expire while your account is active, and I've emailed you your balance."),
           Scenario("As a {tier} member you earn one point per dollar, and 100 points give a 5 dollar voucher.",
                    "Can I use them on my next order?",
                    "Yes, and I've already applied a 5 dollar voucher to your next order."),
           Scenario("I can see your account, {first}. The points from your last order haven't been added yet.",
                    "So can you add them?",
                    "I've added the missing points, plus a small bonus for the trouble.")),
          {"resolved": 8, "follow_up": 2}),
)

GREETINGS = (
    "Thank you for calling {company}, how can I help you today?",
    "Hello, you've reached {company}. What can I do for you?",
    "Hi, this is the {company} assistant. How can I help?",
    "Good day, {company} customer service. How may I help you?",
    "Welcome to {company}. Tell me what you're calling about and I'll get you to the right place.",
)
VERIFY_ASKS = (
    "I'd be happy to help. Can I have your full name first?",
    "Sure. To find your account, can you tell me your name?",
    "Of course. Who am I speaking with, please?",
    "Before I transfer you, may I have your name for the account?",
)
VERIFY_ANSWERS = (
    "It's {first} {last}.",
    "{first} {last}.",
    "Sure, my name is {first} {last}.",
    "This is {first} {last}, the account should be under my email, {email}.",
)
HANDOFFS = {
    "customer_data": ("Let me bring in our account specialist, who can see your orders.",
                      "I'll connect you with the team that handles orders and accounts.",
                      "One moment, I'm passing you to our customer account specialist."),
    "knowledge_base": ("I'll connect you with our product expert, who works from our manuals and policies.",
                       "Let me hand you to our knowledge specialist; they have all our guides and policies.",
                       "Our product expert can answer that from the documentation. Transferring you now."),
    "web_search": ("Let me hand you to our research assistant, who can look that up.",
                   "I'll pass you to the colleague who searches the latest news for us.",
                   "Our research assistant can check current information for you. One moment."),
    "executive_assistant": ("I'll pass you to our assistant, who handles emails and summaries.",
                            "Let me connect you with our assistant, who can send that to you.",
                            "Our assistant takes care of written confirmations. Transferring you now."),
}
FOLLOW_UP_LINES = (
    "I've opened case {case}, and we'll call you back within 48 hours with an answer.",
    "I need to check this with the warehouse; I'll get back to you by tomorrow under case {case}.",
    "I've scheduled a follow-up call for {weekday} to make sure this is sorted.",
)
ESCALATION_LINES = (
    "I'm escalating this to a supervisor, who will call you back today. Your case number is {case}.",
    "I've passed your case to our specialist team with priority; they'll contact you within 24 hours.",
    "This needs a supervisor's approval, so I've escalated it with all the details, case {case}.",
)
ASSISTANT_FOLLOW_UPS = (
    "Hi, I'm the assistant: I've emailed a summary of this call and the next steps to {email}.",
    "I've sent you an email with case {case} and what happens next.",
    "You'll find a written summary of this call in your inbox at {email}.",
)
ABANDONS = (
    "Forget it, I don't have time for this.",
    "You know what, never mind.",
    "I'll call back later.",
    "This is taking too long. Goodbye.",
)
CLOSINGS = {
    "positive": ("That's great, thank you so much!", "Perfect, thanks for your help.",
                 "Wonderful, have a nice day.", "Brilliant, that was quick. Thanks!"),
    "neutral": ("Okay, thanks.", "Fine, I'll wait then.", "Alright, goodbye.", "Okay, I'll keep an eye out."),
    "negative": ("This still isn't good enough.", "I'm not happy about this.", "Fine. I expected better.",
                 "I'll be taking my business elsewhere if this happens again."),
}
GOODBYES = (
    "Thank you for calling {company}. Goodbye!",
    "You're welcome, {first}. Have a good day.",
    "Is there anything else I can help with? No? Then take care.",
    "Thanks for your patience today, {first}.",
)
SENTIMENT_BY_OUTCOME = {
    "resolved": {"positive": 12, "neutral": 7, "negative": 1},
    "follow_up": {"positive": 3, "neutral": 6, "negative": 2},
    "escalated": {"positive": 1, "neutral": 4, "negative": 5},
    "abandoned": {"neutral": 3, "negative": 7},
}
# Each phrase names the outcome, so a summary always says how the call ended.
OUTCOME_PHRASES = {
    "resolved": ("the agent resolved it on the call", "it was resolved during the call"),
    "follow_up": ("a follow-up was promised", "a follow-up call was scheduled"),
    "escalated": ("the case was escalated to a supervisor", "it was escalated to the specialist team"),
    "abandoned": ("the caller abandoned the call before a solution", "the call was abandoned"),
}
SUMMARIES = (
    "{caller} {gist} ({topic}); {outcome}.",
    "Call about {topic}: {caller} {gist}; {outcome}.",
    "During a call about {topic}, {caller} {gist}, and {outcome}.",
)
STATUS_LINES = {
    "ordered": "is being packed at our warehouse and should ship within one business day",
    "shipped": "left our warehouse on {shipped} and the carrier expects to deliver it within two days",
    "delivered": "was delivered on {delivered}",
    "returned": "came back to our warehouse, and the refund of {total} has been issued",
    "cancelled": "was cancelled, and the {total} refund went back to your card",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
