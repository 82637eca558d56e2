"""Street addresses and postcodes of the countries callers come from, written or as recognised from speech.

A street is a house number, one to four name words and a street type ("221B Baker Street",
"sixteen hundred Pennsylvania Avenue NW"), or the continental order with the number after the
name ("Hauptstraße 5", "Calle Mayor 12", "12 rue de Rivoli"). Common street types count anywhere;
the rarer ones of the USPS and Australian lists ("Burgs", "Station") only with capitalised names
and something else saying it is an address: a word like "address" or "moved" before it, a flat
or suite number, or a postcode after it; generic ones ("Union", "Key") only before a postcode or
right after "address" or "now at". Postcodes are UK, US ZIP+4 or ZIP after
a state, Canadian, Australian after a state, and four or five digits beside a capitalised town
("10115 Berlin"). Pieces that follow each other, with only commas and town names between them,
make one address.
"""

from __future__ import annotations

import re

from shared.privacy.digits import NUMBER_WORDS
from shared.privacy.street_types import COMMON, GENERIC, RARE

_NUMBER_WORD = "|".join((*NUMBER_WORDS, "hundred", "thousand"))
_HOUSE = (rf"(?:\d{{1,5}}(?:[-/]\d{{1,4}})?(?:\s?[a-z]\b)?"
          rf"|(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}|and)){{0,4}}(?:\s+[a-z]\b)?)")
# Words that never name a street keep "3 items on the way" and "2 more days to close" out.
_NOT_NAME = ("a|an|the|to|of|in|on|at|for|and|or|but|by|as|is|are|was|were|be|it|this|that|my|your|our|their|"
             "his|her|its|more|less|than|about|items?|units?|pieces?|pcs|times?|days?|weeks?|months?|years?|"
             "hours?|minutes?|people|dollars?|euros?|pounds?|percent|orders?|boxes|packs?|pairs?|easy|simple")
_NAME = rf"(?!(?:{_NOT_NAME})\b)[a-zà-öø-ÿ][\wà-öø-ÿ'.\-]*"
_CAPITALISED = r"(?-i:[A-ZÀ-Ý][\wà-ÿ'\u2019.\-]*)"
_UNIT = (r"(?:apt|apartment|unit|suite|ste|flat|floor|fl|level|studio|room|appartamento|piano|piso|puerta|"
         r"interno|wohnung|étage|#)\.?\s*#?[\w-]+")
_UNIT_AFTER = rf"(?:,?\s+{_UNIT})?"
_DIRECTION = r"(?:\s+(?:nw|ne|sw|se|n|s|e|w|north|south|east|west)\b)"
_ENGLISH = rf"(?:\b{_UNIT}[\s,]+)?\b{_HOUSE}[\s,]+(?:{_NAME}\s+){{1,4}}(?:{COMMON}){_DIRECTION}?{_UNIT_AFTER}"


def _english_street(types: str) -> str:
    """A street whose type is one of `types`, its names capitalised: "52760 Kathy Ports Suite 559"."""
    names = rf"(?:{_CAPITALISED}\s+){{1,4}}"
    return (rf"(?:\b{_UNIT}[\s,]+)?\b\d{{1,5}}(?:/\d{{1,5}})?[a-z]?\s+{names}(?:{types}){_DIRECTION}?"
            rf"{_UNIT_AFTER}|\b{_UNIT},?\s+{names}(?:{types})")


# The French order without a house number: "chemin Diane Ferrand, 37624 ...".
_RARE_FRENCH = (r"\b(?:rue|avenue|boulevard|chemin|allée|impasse|quai|place)(?:\s+(?:de|du|des|la|le|l'|d'))*\s*"
                rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,3}}")
_GERMAN_HOUSE = r"\s+\d{1,4}(?:\s?[-/]\s?\d{1,4})?\s?[a-z]?\b"
_GERMAN = (r"(?:(?-i:\b[A-ZÄÖÜ][\wäöüß.\-]{0,30}\s+(?=[SWGPA]))|\b[\wäöüß\-]{0,30})"
           rf"(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee){_GERMAN_HOUSE}{_UNIT_AFTER}"
           rf"|(?-i:\b[A-ZÄÖÜ][\wäöüß\-]{{0,30}}[Rr]ing){_GERMAN_HOUSE}{_UNIT_AFTER}")
_FRENCH = (r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours)"
           rf"(?:\s+(?:de|du|des|la|le|l'|d'))*\s*{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,4}}")
_SOUTHERN = (r"(?-i:\b(?:Calle|C/|C\.|Avenida|Avda\.|Avinguda|Plaza|Paseo|Pasaje|Pasadizo|Camino|Carretera|Ronda|"
             r"Travesía|Callejón|Alameda|Rambla|Cuesta|Glorieta|Cañada|Acceso|Vial|Urbanización|Carrer|Via|Vía|"
             r"Viale|Piazza|Piazzale|Strada|Corso|Largo|Vicolo|Borgo|Contrada|Rotonda|Incrocio|Stretto|Canale|"
             r"Lungomare|Rua|Travessa)"
             r"(?:\s+(?:de|del|la|las|los|di|della|da|do|dos))*\s+[A-ZÀ-Ý][\wà-ÿ'\-]*(?:\s+[A-ZÀ-Ý][\wà-ÿ'\-]*){0,3})"
             rf",?\s+(?:n[º°o]\.?\s*)?\d{{1,4}}\b{_UNIT_AFTER}")
_PO_BOX = r"\bp\.?\s?o\.?\s?box\s+\d+\b|(?-i:\b(?:PSC|CMR|Unit)\s+\d{3,5},\s+Box\s+\d{3,5})"
_UK_POSTCODE = r"\b(?:[a-z]{1,2}\d[a-z\d]?|gir)\s?\d[a-z]{2}\b"
# USPS codes, with territories and the military AA, AE, AP.
_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
           "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|AS|FM|GU|MH|MP|PW|PR|VI|AA|AE|AP")
_US_ZIP = rf"(?:\b\d{{5}}-\d{{4}}\b|(?-i:\b(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?\b))"
_CA_POSTCODE = r"(?-i:\b(?:(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+)?[A-Z]\d[A-Z]\s?\d[A-Z]\d\b)"
_AU_POSTCODE = r"(?-i:\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),?\s+\d{4}\b)"
_TOWN = r"(?-i:[A-ZÀ-Ý][\wà-ÿ'\u2019\-]*(?:\s+(?:am|an|im|sur|de|la|le)?\s*[A-ZÀ-Ý][\wà-ÿ'\u2019\-]*){0,2})"
_TOWN_POSTCODE = rf"\b\d{{5}},?\s+{_TOWN}(?:\s*\([A-Z]{{2}}\))?"

# Every pattern but the English street needs a digit, which most sentences lack; the English one
# needs a street type. Checking for those first halves the time a sentence takes.
_HAS_DIGIT = re.compile(r"\d")
_HAS_TYPE = re.compile(rf"\b(?:{COMMON})", re.IGNORECASE)
ENGLISH = re.compile(_ENGLISH, re.IGNORECASE)
WRITTEN = re.compile("|".join((_GERMAN, _FRENCH, _SOUTHERN, _PO_BOX, _UK_POSTCODE, _US_ZIP, _CA_POSTCODE,
                               _AU_POSTCODE, _TOWN_POSTCODE)), re.IGNORECASE)
_RARE_TYPE = rf"(?-i:{RARE})\b"
RARE_PIECE = re.compile(f"{_english_street(_RARE_TYPE)}|{_RARE_FRENCH}|{_english_street(COMMON)}", re.IGNORECASE)
GENERIC_PIECE = re.compile(_english_street(rf"(?-i:{GENERIC})\b"), re.IGNORECASE)
_CUE = re.compile(r"\b(?:address|live|living|lives|moved|move|moving|now at|ship|shipping|deliver|delivery|send|"
                  r"mail|located|reside|billing|postcode|zip)\b[^.?!]{0,30}$", re.IGNORECASE)
# Said right before a street, these make even a generic type one: "I'm now at 255 Sheila Ports".
_STRONG_CUE = re.compile(r"\b(?:address(?: is)?|live at|living at|moved to|now at|reside at)\s*:?\s*$", re.IGNORECASE)
# What may stand between two pieces of one address: commas and up to six district, town or state words.
_BETWEEN = re.compile(r"[\s,]*(?:(?-i:[A-Z][\w'\u2019.\-]*)[\s,]+){0,6}")
# A bare postcode closes an address after its town: "Calle Mayor 5, Toledo, 47608".
_TAIL = re.compile(rf"[\s,]+(?:{_TOWN}[\s,]+)?\d{{4,5}}\b(?:\s*\([A-Z]{{2}}\))?")


def address_spans(text: str) -> list[tuple[int, int]]:
    pieces = [m.span() for m in ENGLISH.finditer(text)] if _HAS_TYPE.search(text) else []
    if _HAS_DIGIT.search(text):
        written = [m.span() for m in WRITTEN.finditer(text)]
        pieces += written + _rare_streets(text, [p for p in written if _HAS_DIGIT.search(text, *p)])
    spans: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if spans and (start < spans[-1][1] or _BETWEEN.fullmatch(text, spans[-1][1], start)):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return [_with_tail(text, start, end) for start, end in spans]


def _rare_streets(text: str, postcodes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Streets of a rare type, kept when a cue before, a unit in them or a postcode after says address;
    those of a generic type only before a postcode or right after "address" or "now at"."""

    def postcode_follows(end: int) -> bool:
        return any(start >= end and _BETWEEN.fullmatch(text, end, start) for start, _ in postcodes)

    kept = [m.span() for m in GENERIC_PIECE.finditer(text)
            if postcode_follows(m.end()) or _STRONG_CUE.search(text, max(0, m.start() - 20), m.start())]
    for match in RARE_PIECE.finditer(text):
        start, end = match.span()
        if (_CUE.search(text, max(0, start - 40), start) or re.search(_UNIT, match.group(), re.IGNORECASE)
                or postcode_follows(end)):
            kept.append((start, end))
    return kept


def _with_tail(text: str, start: int, end: int) -> tuple[int, int]:
    tail = _TAIL.match(text, end)
    return start, tail.end() if tail else end
