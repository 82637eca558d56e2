"""Runs of digits as people write or say them: "555-123-4567", "five five five, one two three four".

Speech recognition writes numbers the way they were spoken, so a run mixes digit groups and number
words ("oh", "double five", "twenty-one"); what counts is the digits the run stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
         "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
         "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
        "ninety": "9"}
REPEATS = {"double": 2, "triple": 3}
NUMBER_WORDS = (*UNITS, *TEENS, *TENS)

_WORD = "|".join(sorted((*NUMBER_WORDS, *REPEATS), key=len, reverse=True))
_TOKEN = rf"(?:\(?\d+\)?|(?:{_WORD})\b)"
_SEP = r"(?:[ \t]*[,.\-/][ \t]*|[ \t]+|(?<=\))|(?=\())"  # "+44(0)20 ...": nothing around a parenthesis
_PLUS = r"(?:\+|plus[ \t]+)"  # a spoken "plus" starts an international number too
# An extension closes a phone number: "555-123-4567x890", "... ext. 12"; its digits do not count.
_EXTENSION = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})"
# No run starts inside a word or an identifier ("ord-1234"), none ends inside a word ("4090ti").
RUN = re.compile(rf"(?<![\w\-+]){_PLUS}?{_TOKEN}(?:{_SEP}{_TOKEN})*{_EXTENSION}?(?!\w)", re.IGNORECASE)
_PIECE = re.compile(rf"{_TOKEN}|{_SEP}", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """One run of digit tokens: where it is, the digits it stands for and how it was written."""

    start: int
    end: int
    digits: str
    spoken: bool  # at least one number word
    groups: tuple[int, ...]  # lengths of the written digit groups, in order
    separators: str  # the separator characters, spaces dropped
    plus: bool  # starts with an international "+"
    paren: bool  # has an area code in parentheses


def runs(text: str) -> list[Run]:
    """Every maximal run of digit tokens in `text`."""
    return [_read(m.start(), m.group()) for m in RUN.finditer(text)]


def _read(start: int, raw: str) -> Run:
    digits: list[str] = []
    groups: list[int] = []
    separators = ""
    spoken = False
    repeat = 1  # "double" and "triple" repeat the next unit
    tens = ""  # a tens word waits for its unit: "twenty" "one" is 21, "twenty" alone 20
    plus = re.match(_PLUS, raw, re.IGNORECASE)
    extension = re.search(f"{_EXTENSION}$", raw, re.IGNORECASE)
    for piece in _PIECE.findall(raw[plus.end() if plus else 0:extension.start() if extension else None]):
        word = piece.strip().lower()
        if not word or word[0] in ",.-/":
            separators += word
            continue
        if word in UNITS:
            digits.append(tens + UNITS[word] * repeat)
            tens, repeat = "", 1
        else:
            digits.append(tens + "0" if tens else "")
            tens, repeat = "", 1
            if word in TENS:
                tens = TENS[word]
            elif word in TEENS:
                digits.append(TEENS[word])
            elif word in REPEATS:
                repeat = REPEATS[word]
            else:
                group = re.sub(r"\D", "", word)
                digits.append(group)
                groups.append(len(group))
        spoken = spoken or word[0].isalpha()
    digits.append(tens + "0" if tens else "")
    return Run(start, start + len(raw), "".join(digits), spoken, tuple(groups), separators,
               plus is not None, "(" in raw)


def luhn(digits: str) -> bool:
    """The check digit of payment card numbers: catches every single wrong digit."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
