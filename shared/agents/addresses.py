"""Addresses as callers say them, in their country's own order, split into street, postal code, city, country.

Patterns per national format (libpostal would do all countries but weighs 1.9 GB): the country is the one
named, else the one a state, province or postal code format points to, else the caller's own. A street
is a house number and words up to a street type ("12 Harbour Street", "12 rue de la Paix") or a
continental street word and its number ("Hauptstraße 5", "Storgatan 5"); the city is what is left
between the street and the postal code, or after the code. What is missing is said by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.agents.numbers import in_digits

COUNTRIES = {"united states": "United States", "usa": "United States", "america": "United States",
             "united kingdom": "United Kingdom", "uk": "United Kingdom", "england": "United Kingdom",
             "scotland": "United Kingdom", "britain": "United Kingdom", "canada": "Canada", "germany": "Germany",
             "deutschland": "Germany", "france": "France", "switzerland": "Switzerland", "schweiz": "Switzerland",
             "suisse": "Switzerland", "sweden": "Sweden", "sverige": "Sweden", "japan": "Japan", "india": "India",
             "austria": "Austria", "netherlands": "Netherlands", "spain": "Spain", "italy": "Italy"}
US_STATES = {"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
             "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
             "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
             "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
             "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
             "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
             "new york state": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
             "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
             "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
             "virginia": "VA", "washington state": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY"}
PROVINCES = {"ontario": "ON", "quebec": "QC", "british columbia": "BC", "alberta": "AB", "manitoba": "MB",
             "saskatchewan": "SK", "nova scotia": "NS", "new brunswick": "NB", "newfoundland": "NL"}
INDIAN_STATES = ("west bengal", "maharashtra", "karnataka", "tamil nadu", "kerala", "gujarat", "rajasthan",
                 "telangana", "delhi", "uttar pradesh", "punjab", "haryana", "bihar", "odisha", "goa")
JAPANESE_CITIES = ("tokyo", "osaka", "kyoto", "yokohama", "nagoya", "sapporo", "kobe", "fukuoka")
# Postal code formats, each with the country it points to when none is named.
POSTAL = [("United Kingdom", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.I)),
          ("Canada", re.compile(r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b", re.I)),
          ("Japan", re.compile(r"\b\d{3}-\d{4}\b")),
          ("Sweden", re.compile(r"\b\d{3} \d{2}\b(?! \d)")),
          ("India", re.compile(r"\b\d{3} ?\d{3}\b")),
          ("United States", re.compile(r"\b\d{5}(?:-\d{4})?\b")),
          ("Switzerland", re.compile(r"\b\d{4}\b"))]
# What a postal code looks like where the caller says they live: one that does not is asked again.
POSTAL_FORMS = {"United States": (r"\d{5}(-\d{4})?", "five digits"), "Germany": (r"\d{5}", "five digits"),
                "France": (r"\d{5}", "five digits"), "Switzerland": (r"\d{4}", "four digits"),
                "Austria": (r"\d{4}", "four digits"), "Sweden": (r"\d{3} ?\d{2}", "five digits"),
                "India": (r"\d{6}", "six digits"), "Japan": (r"\d{3}-?\d{4}", "seven digits"),
                "United Kingdom": (r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "letters and digits, like SW1A 1AA"),
                "Canada": (r"[A-Z]\d[A-Z] ?\d[A-Z]\d", "letters and digits, like K1A 0B1")}
FIVE_DIGITS = ("Germany", "France", "United States", "Spain", "Italy")
STREET_TYPES = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|"
                r"close|crescent|square|parkway|highway|hwy|row|gardens|hill")
DIRECTIONS = r"(?: (?:north|south|east|west|nw|ne|sw|se|n|s|e|w)\b)?"
FRENCH_TYPES = r"rue|avenue|boulevard|bd|place|chemin|allée|allee|quai|impasse|route|cours"
CONTINENTAL = (r"\w*(?:straße|strasse|str|gasse|weg|allee|platz|ring|damm|ufer|gatan|vägen|vagen|väg|gränd|torget|"
               r"backen|stigen)")
STREETS = [re.compile(rf"\b\d+[a-z]?(?:[ ,]+(?:{FRENCH_TYPES})\b(?: [\w'-]+){{1,4}}?)(?=[ ,]+\d|[ ,]+[\w-]+$)", re.I),
           re.compile(rf"\b\d+[a-z]?(?:[ ,]+[\w'.-]+){{1,4}}? (?:{STREET_TYPES})\b{DIRECTIONS}", re.I),
           re.compile(rf"\b{CONTINENTAL} \d+[a-z]?\b", re.I),
           re.compile(r"\b(?!\d{3}-\d{4}\b)\d+(?:-\d+){1,2}\b")]  # a Japanese block number "2-21-1"
FILLER = re.compile(r"\b(please|thanks|thank you|now|actually|and|in|the city is|city|it's|its)\b", re.I)
SMALL_WORDS = {"de", "la", "du", "des", "le", "les", "of", "the", "and", "d'", "am", "an", "der"}


NAMED_FIELD = re.compile(r"\bthe (?P<field>city|town|street|street name|house number|postal code|post ?code|"
                         r"zip(?: code)?|country) (?:is|should be|was meant to be|needs to be) (?P<value>.+?)[.!]?$",
                         re.I)
FIELDS_SAID = {"city": "city", "town": "city", "street": "street", "street name": "street", "country": "country",
               "house number": "street"}


@dataclass
class ParsedAddress:
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    doubtful: list[str] = field(default_factory=list)  # fields found but not in their country's form

    @property
    def missing(self) -> list[str]:
        return [f for f in ("street", "postal_code", "city", "country") if not getattr(self, f)]

    def fields(self) -> dict[str, str]:
        return {f: v for f in ("street", "postal_code", "city", "country") if (v := getattr(self, f))}


def _named(text: str, names: dict[str, str] | tuple[str, ...]) -> tuple[str | None, str]:
    """The longest of `names` in `text`, and the text with every mention of it blanked (offsets kept)."""
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.I)
        if pattern.search(text):
            return name, pattern.sub(lambda m: " " * len(m.group(0)), text)
    return None, text


def _titled(words: str) -> str:
    return " ".join(w if w.lower() in SMALL_WORDS else w[:1].upper() + w[1:]
                    for w in re.split(r"\s+", words.strip(" ,.")) if w)


def _postal(text: str, country: str | None) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """(code, the country its format points to, its span)."""
    for format_country, pattern in POSTAL:
        if country and country != format_country and not (country in FIVE_DIGITS and format_country ==
                                                          "United States") and not (country == "Austria" and
                                                                                    format_country == "Switzerland"):
            continue
        found = pattern.search(text)
        if found:
            return found.group(0).upper(), format_country, found.span()
    return None, None, None


def _postal_formatted(code: str, country: str | None) -> str:
    if country in ("United Kingdom", "Canada") and " " not in code and len(code) > 3:
        return f"{code[:-3]} {code[-3:]}"
    if country == "India":
        return code.replace(" ", "")
    return code


def parse_address(said: str, home_country: str | None = None) -> ParsedAddress:
    """The address in what the caller said; `home_country`: the caller's, when no other is named."""
    text = re.sub(r"\b([a-z0-9]{1,2})((?: [a-z0-9]{1,2}\b){2,})",  # "n w 1 6 x e": a postcode spelled out
                  lambda m: m.group(0).replace(" ", "") if re.search(r"[a-z]", m.group(0), re.I)
                  and re.search(r"\d", m.group(0)) else m.group(0), in_digits(said), flags=re.I)
    country_name, text = _named(text, COUNTRIES)
    country = COUNTRIES[country_name] if country_name else None
    region = None
    # The street first: "West Georgia Street" names no state. Regions are looked for outside it.
    street = next((m for pattern in STREETS if (m := pattern.search(text))), None)
    if street:
        text = text[:street.start()] + "§" * len(street.group(0)) + text[street.end():]
    state, text = _named(text, US_STATES)
    if state:
        country, region = country or "United States", US_STATES[state]
    province, text = _named(text, PROVINCES)
    if province:
        country, region = country or "Canada", PROVINCES[province]
    indian_state, text = _named(text, INDIAN_STATES)
    if indian_state:
        country = country or "India"
    japanese_city, text = _named(text, JAPANESE_CITIES)
    if japanese_city:
        country = country or "Japan"
    code, format_country, span = _postal(text, country)
    parsed = ParsedAddress(country=country)
    if code and span:
        if country is None:  # digits alone could be anyone's: the caller's own country, checked below
            home_digits = POSTAL_FORMS.get(home_country or "", ("",))[0].startswith("\\d")
            country = home_country if home_digits and re.fullmatch(r"[\d ]+", code) else format_country
        parsed.postal_code = _postal_formatted(code, country)
    parsed.country = country or home_country
    if street:
        parsed.street = _titled(street.group(0))
    city_text = _city_text(text, street.span() if street else None, span).replace("§", "").strip(" ,.")
    if japanese_city:
        parsed.city = _titled(japanese_city)
        rest = " ".join(w for w in city_text.split() if w)
        parsed.street = _titled(", ".join(filter(None, [parsed.street, rest]))) if rest else parsed.street
    elif city_text:
        parsed.city = _titled(city_text) + (f", {region}" if region else "")
    form = POSTAL_FORMS.get(parsed.country or "")
    if parsed.postal_code and form and not re.fullmatch(form[0], parsed.postal_code, re.I):
        parsed.doubtful.append("postal_code")
    return parsed


def postal_form(country: str | None) -> str | None:
    """How a postal code of `country` is said: "five digits"."""
    form = POSTAL_FORMS.get(country or "")
    return form[1] if form else None


def _city_text(text: str, street: tuple[int, int] | None, postal: tuple[int, int] | None) -> str:
    """What is left for the city: between the street and the postal code, else after the later of them."""
    ends = [s for s in (street, postal) if s]
    if not ends:
        return ""
    if street and postal and street[1] < postal[0]:
        between = FILLER.sub(" ", text[street[1]:postal[0]]).strip(" ,.")
        if between:
            return between
    last = max(e[1] for e in ends)
    after = FILLER.sub(" ", text[last:]).strip(" ,.")
    if after:
        return after
    if street and postal and postal[1] < street[0]:  # postal code first, as in Japan
        return FILLER.sub(" ", text[postal[1]:street[0]]).strip(" ,.")
    return ""


def named_field(said: str) -> tuple[str, str] | None:
    """A field the caller corrects by name ("no, the city is Lyon"): (field, value), or None."""
    found = NAMED_FIELD.search(said)
    if found is None:
        return None
    field = FIELDS_SAID.get(found.group("field").lower(), "postal_code")
    value = found.group("value").strip(" ,")
    if field == "postal_code":
        return field, in_digits(value).upper()
    if field == "country":
        return field, COUNTRIES.get(value.lower(), _titled(value))
    return field, _titled(in_digits(value))
