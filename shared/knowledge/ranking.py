"""The local index's reranker: a relevance between 0 and 1 that means the same for every query.

Fused rank scores only order one query's hits (they tie, and say nothing across queries), and a
cosine alone depends on how a question is worded. Each candidate is scored instead on what a
reader checks: how close it is in meaning (cosine of the embeddings), how much of the question's
weight in rare words it contains (IDF-weighted coverage over its title, headings and text), and
whether it belongs to the document the question names (the question's words that occur in some
document's title, matched against this one's). A logistic model of the three, fitted on the dev
split of the hard set (`bench/retrieval.py --fit`), gives the probability that the passage is on
the page that answers: comparable across queries, so one floor refuses what nothing answers.
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
))
WORD = re.compile(r"\w+")
# Fitted by `bench/retrieval.py --fit` on the hard set's dev split: (bias, cosine, coverage, document).
WEIGHTS = (-9.0, 8.0, 5.0, 2.5)


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
    """The share of the query's weight (term -> IDF) that the passage contains."""
    total = sum(query.values())
    return sum(weight for term, weight in query.items() if term in found) / total if total else 0.0


def named_document(query: set[str], title_words: set[str], titles: Iterable[set[str]]) -> float:
    """How well a passage's title matches the words of the question that name some document (1: no
    document named). Words in every title tell documents apart the least, and weigh the least."""
    titles = list(titles)
    weights = {t: math.log(1 + len(titles) / sum(t in other for other in titles))
               for t in query if any(t in other for other in titles)}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in title_words) / total if total else 1.0


def relevance(cosine: float, covered: float, document: float) -> float:
    bias, w_cosine, w_covered, w_document = WEIGHTS
    z = bias + w_cosine * cosine + w_covered * covered + w_document * document
    return float(1 / (1 + np.exp(-z)))
