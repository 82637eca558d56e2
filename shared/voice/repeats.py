"""The decoder going round again, dropped from a transcript.

In the silence after the speech whisper sometimes repeats what it has just written, with or without
punctuation, until its token cap cuts it mid-word: "Never mind Forget it Never mind forget it Never Mind
Forget", "Can you check that for me? Can you che", "Yes, please... Please... Yes,". A caller who repeats
themselves loses nothing of what they meant when the repeat is dropped; a number read out digit by digit
("4 5 4 5") is never taken for a loop.
"""

from __future__ import annotations

import re

SENTENCE = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[a-z0-9']+", re.IGNORECASE)
FOLLOWING_PUNCTUATION = re.compile(r"[.!?,]*")


def without_repeats(text: str) -> str:
    return _without_echoed_sentences(_without_looping_tail(text))


def _without_looping_tail(text: str) -> str:
    """Cuts the text after the first round of a phrase of two words or more that then comes again and again
    to the end of the text (the last word may be cut short)."""
    matches = list(WORD.finditer(text))
    words = [match.group().lower() for match in matches]
    for start in range(len(words)):
        for size in range(2, len(words) - start - 1):
            cycle, rest = words[start:start + size], words[start + size:]
            if all(word.isdigit() for word in cycle):
                continue
            if all(word == cycle[i % size] or (i == len(rest) - 1 and cycle[i % size].startswith(word))
                   for i, word in enumerate(rest)):
                end = matches[start + size - 1].end()
                punctuation = FOLLOWING_PUNCTUATION.match(text, end)
                return text[:punctuation.end() if punctuation else end]
    return text


def _without_echoed_sentences(text: str) -> str:
    """Drops a sentence made only of words already said, and an unfinished last one made mostly of the words
    before it, or of words alike ("Yes, that is right. Yes, that", "Is the blue backpack in stock? Is the new
    backpack", "What is your return's policy? What is yours returns")."""
    kept: list[str] = []
    said: set[str] = set()
    sentences = SENTENCE.split(text)
    for i, sentence in enumerate(sentences):
        words = [word.lower() for word in WORD.findall(sentence)]
        before = [word.lower() for word in WORD.findall(kept[-1])] if kept else []
        if kept and words and said.issuperset(words):
            continue
        echoed = sum(any(_alike(word, earlier) for earlier in before) for word in words)
        if i == len(sentences) - 1 and len(words) >= 3 and echoed >= 0.75 * len(words) \
                and not sentence.rstrip().endswith((".", "?", "!")):
            continue
        kept.append(sentence)
        said.update(words)
    return " ".join(kept)


def _alike(word: str, other: str) -> bool:
    """The same word, or one the other begins with, apostrophes aside ("your", "yours"; "return's", "returns")."""
    word, other = word.replace("'", ""), other.replace("'", "")
    shorter, longer = sorted((word, other), key=len)
    return word == other or (len(shorter) >= 3 and longer.startswith(shorter))
