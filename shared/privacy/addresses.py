"""Street addresses and postcodes of the countries callers come from, written or as recognised from speech.

A street is a house number, one to four name words and a street type ("221B Baker Street",
"sixteen hundred Pennsylvania Avenue NW"), or the continental order with the number after the
name ("Hauptstraße 5", "Calle Mayor 12", "12 rue de Rivoli"). Postcodes are UK, US ZIP+4 or ZIP
after a state, Canadian, and five digits before a capitalised town ("10115 Berlin"). Pieces that
follow each other, with only commas and town names between them, make one address.
"""

from __future__ import annotations

import re

from shared.privacy.digits import NUMBER_WORDS

_NUMBER_WORD = "|".join((*NUMBER_WORDS, "hundred", "thousand"))
_HOUSE = (rf"(?:\d{{1,5}}(?:[-/]\d{{1,4}})?(?:\s?[a-z]\b)?"
          rf"|(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}|and)){{0,4}}(?:\s+[a-z]\b)?)")
# Words that never name a street keep "3 items on the way" and "2 more days to close" out.
_NOT_NAME = ("a|an|the|to|of|in|on|at|for|and|or|but|by|as|is|are|was|were|be|it|this|that|my|your|our|their|"
             "his|her|its|more|less|than|about|items?|units?|pieces?|pcs|times?|days?|weeks?|months?|years?|"
             "hours?|minutes?|people|dollars?|euros?|pounds?|percent|orders?|boxes|packs?|pairs?|easy|simple")
_NAME = rf"(?!(?:{_NOT_NAME})\b)[a-zà-öø-ÿ][\wà-öø-ÿ'.\-]*"
_TYPE = ("(?:street|avenue|road|boulevard|lane|drive|court|way|place|terrace|close|crescent|square|parkway|"
         r"highway|circle|row|mews|gardens|grove|walk|alley|plaza|trail)\b"
         r"|(?:st|ave|rd|blvd|ln|dr|ct|pl|sq|pkwy|hwy|cir)\b\.?")  # only an abbreviation takes the full stop
_UNIT = r"(?:apt|apartment|unit|suite|ste|flat|floor|fl|#)\.?\s*#?[\w-]+"
_DIRECTION = r"(?:\s+(?:nw|ne|sw|se|north|south|east|west)\b)"
_ENGLISH = (rf"(?:\b{_UNIT}[\s,]+)?\b{_HOUSE}[\s,]+(?:{_NAME}\s+){{1,4}}(?:{_TYPE}){_DIRECTION}?"
            rf"(?:,?\s+{_UNIT})?")
_GERMAN = (r"(?:(?-i:\b[A-ZÄÖÜ][\wäöüß.\-]*\s+(?=[SWGPA]))|\b[\wäöüß\-]*)"
           r"(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee)\s+\d{1,4}\s?[a-z]?\b")
_FRENCH = (r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours)"
           r"(?:\s+(?:de|du|des|la|le|l'|d'))*\s*(?-i:[A-ZÀ-Ý][\wà-ÿ'\-]*)(?:\s+(?-i:[A-ZÀ-Ý][\wà-ÿ'\-]*))*")
_SOUTHERN = (r"(?-i:\b(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|Rua|Travessa)"
             r"(?:\s+(?:de|del|la|las|los|di|della|da|do|dos))*\s+[A-ZÀ-Ý][\wà-ÿ'\-]*(?:\s+[A-ZÀ-Ý][\wà-ÿ'\-]*){0,3})"
             r",?\s+(?:n[º°o]\.?\s*)?\d{1,4}\b")
_PO_BOX = r"\bp\.?\s?o\.?\s?box\s+\d+\b"
_UK_POSTCODE = r"\b(?:[a-z]{1,2}\d[a-z\d]?|gir)\s?\d[a-z]{2}\b"
_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
           "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
_US_ZIP = rf"(?:\b\d{{5}}-\d{{4}}\b|(?-i:\b(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?\b))"
_CA_POSTCODE = r"(?-i:\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b)"
_TOWN_POSTCODE = r"(?-i:\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:[\s-][A-ZÄÖÜ][a-zäöüß]+)?\b)"

PIECE = re.compile("|".join((_ENGLISH, _GERMAN, _FRENCH, _SOUTHERN, _PO_BOX, _UK_POSTCODE, _US_ZIP,
                             _CA_POSTCODE, _TOWN_POSTCODE)), re.IGNORECASE)
# What may stand between two pieces of one address: commas and up to three town or state words.
_BETWEEN = re.compile(r"[\s,]*(?:(?-i:[A-Z][\w'.\-]*)[\s,]+){0,3}")


def address_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in PIECE.finditer(text):
        start, end = match.span()
        if spans and _BETWEEN.fullmatch(text, spans[-1][1], start):
            start = spans.pop()[0]
        spans.append((start, end))
    return spans
