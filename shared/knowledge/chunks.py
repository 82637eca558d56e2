"""Overlapping chunks of a document's pages, each keeping the page it starts on."""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

from shared.knowledge.extract import Page, extract

CHUNK_WORDS = 120
OVERLAP_WORDS = 30


class Chunk(BaseModel):
    id: str
    document: str
    page: int
    text: str


def chunk_id(document: str, ordinal: int) -> str:
    # Stable per document and position, and a valid key for Azure AI Search (letters, digits, _ - =).
    return f"{hashlib.sha1(document.encode()).hexdigest()[:16]}-{ordinal:05d}"


def chunk(document: str, pages: list[Page], words: int = CHUNK_WORDS, overlap: int = OVERLAP_WORDS) -> list[Chunk]:
    """Windows of `words` words, overlapping by `overlap`, never spanning two pages."""
    chunks: list[Chunk] = []
    step = words - overlap
    for page in pages:
        tokens = re.findall(r"\S+", page.text)
        for start in range(0, max(len(tokens) - overlap, 1), step):
            chunks.append(Chunk(id=chunk_id(document, len(chunks)), document=document, page=page.number,
                                text=" ".join(tokens[start:start + words])))
    return chunks


def pieces(document: str, data: bytes) -> list[Chunk]:
    """The chunks of a file's text (CPU-bound: the knowledge base runs it in a worker process)."""
    return chunk(document, extract(document, data))
