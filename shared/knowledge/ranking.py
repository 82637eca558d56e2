"""The local index's reranker: a relevance between 0 and 1 that means the same for every query.

Fused rank scores only order one query's hits (they tie, and say nothing across queries), and a
cosine alone depends on how a question is worded. Each candidate is scored instead on what a
reader checks: how close it is in meaning (cosine of the embeddings), how much of the question's
weight in rare words it contains (IDF-weighted coverage over its title, headings and text), and
whether it belongs to the document the question names (see `named_document`). A logistic function
of the three, its weights chosen on the dev split of the hard set (`bench/retrieval.py --fit`),
says how likely the passage is on the page that answers: comparable across queries, so that one
floor refuses what nothing answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np

# Words that match nearly every chunk: in a keyword query they only add noise to BM25.
STOP_WORDS = frozenset((
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "get", "got", "had", "has", "have", "hello",
    "hi", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "much", "my", "of", "on", "or", "our",
    "please", "should", "so", "than", "thanks", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "under", "up", "us", "was", "we", "were", "what", "when", "where", "which", "who", "why",
    "will", "with", "would", "you", "your", "i'm", "im",
    # What callers say around a question: it would count against every passage's coverage alike.
    "um", "uh", "er", "erm", "guys", "something", "anything", "okay", "ok", "yeah", "well", "know", "tell",
))
WORD = re.compile(r"\w+")
COVERAGE_PRIOR = 6.0  # about the IDF weight of two ordinary words
# Chosen by `bench/retrieval.py --fit` on the hard set's dev split: (bias, cosine, coverage, document).
WEIGHTS = (-9.0, 12.0, 3.5, 2.5)


def stem(word: str) -> str:
    """Plural and possessive endings off: enough for coverage, where FTS5's porter stemmer is not at hand."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> set[str]:
    return {stem(word) for word in WORD.findall(text.lower()) if word not in STOP_WORDS}


def idf(document_frequency: int, documents: int) -> float:
    return math.log(1 + (documents + 1) / (document_frequency + 0.5))


def coverage(query: dict[str, float], found: set[str]) -> float:
    """The share of the query's weight (term -> IDF) that the passage contains, shrunk for short
    questions: one word of two in common ("send" of "send back") is weak evidence, while paraphrase
    ("return") is what callers do; the embeddings judge that."""
    total = sum(query.values())
    return sum(weight for term, weight in query.items() if term in found) / (total + COVERAGE_PRIOR)


def named_words(query: set[str], titles: Iterable[set[str]]) -> dict[str, float]:
    """The words by which the question names a document, each with its weight; empty when it names none.

    A question names a document when it has two words of its title, or one with a digit ("2026",
    "v4"): one plain word ("products") is just a word. Words in many titles tell documents apart
    the least, and weigh the least."""
    titles = list(titles)
    named: set[str] = set()
    for title in titles:
        shared = query & title
        if len(shared) >= 2 or any(any(ch.isdigit() for ch in word) for word in shared):
            named |= shared
    return {word: math.log(1 + len(titles) / sum(word in title for title in titles)) for word in named}


def named_document(named: dict[str, float], title_words: set[str]) -> float:
    """How well a passage's title matches the document the question names; 1 when it names none."""
    total = sum(named.values())
    return sum(w for word, w in named.items() if word in title_words) / total if total else 1.0


def relevance(cosine: float, covered: float, document: float) -> float:
    bias, w_cosine, w_covered, w_document = WEIGHTS
    z = bias + w_cosine * cosine + w_covered * covered + w_document * document
    return float(1 / (1 + np.exp(-z)))
