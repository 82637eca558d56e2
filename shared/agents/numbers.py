"""Numbers as callers say them, in digits: "minus five" -> "minus 5", "seven eight seven oh one" -> "78701",
"nineteen ninety three" -> "1993".

text2num (a small Rust extension) turns number words into digits. Only the words are converted: digits the
caller (or speech recognition) already wrote stay as they were, so "114 55" remains a Swedish postal code.
Numbers spoken one after another are one number read out in parts (a ZIP, a house number, a year); lone
small numbers, which text2num leaves as words, are taken here.
"""

from __future__ import annotations

import re

SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "a couple of": 2, "a pair of": 1, "a single": 1}
_SMALL = re.compile(r"\b(" + "|".join(sorted(SMALL, key=len, reverse=True)) + r")\b", re.I)
_DIGIT_WORD = "zero|one|two|three|four|five|six|seven|eight|nine"
_OH = re.compile(rf"(\b(?:{_DIGIT_WORD})\s+)oh\b|\boh(?=\s+(?:{_DIGIT_WORD})\b)", re.I)  # "seven oh one"
_WRITTEN = re.compile(r"[+\d][\w+/.:@-]*\d[\w]*|\d+[a-z]*|\S*@\S*", re.I)  # digits and codes already written
_READ_OUT = re.compile(r"\b\d+(?: \d+)+\b")
_QUANTITY = re.compile(r"(?<![\w-])(?P<sign>minus |negative |-)?(?P<n>\d{1,3})(?![\w-])", re.I)


def _words_in_digits(words: str) -> str:
    from text_to_num import alpha2digit  # imported on first use: it is not needed at cold start

    converted = alpha2digit(_OH.sub(lambda m: f"{m.group(1) or ''}zero", words), "en")
    converted = _READ_OUT.sub(lambda m: m.group(0).replace(" ", ""), converted)
    return _SMALL.sub(lambda m: str(SMALL[m.group(1).lower()]), converted)


def in_digits(text: str) -> str:
    parts, last = [], 0
    for written in _WRITTEN.finditer(text):
        parts += [_words_in_digits(text[last:written.start()]), written.group(0)]
        last = written.end()
    return "".join([*parts, _words_in_digits(text[last:])])


def quantity(text: str, ignore: str = "") -> int | None:
    """The first quantity in `text` (with its sign), once `ignore` (a product's name) is taken out."""
    spoken = in_digits(text)
    if ignore:
        spoken = re.sub(re.escape(in_digits(ignore)), " ", spoken, flags=re.I)
    found = _QUANTITY.search(spoken)
    if found is None:
        return None
    return -int(found.group("n")) if found.group("sign") else int(found.group("n"))
