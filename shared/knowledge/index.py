"""The search index port and its local adapter.

Local: SQLite FTS5 ranks by BM25 (a full-text engine every Python has, tested far beyond what we
would write), numpy ranks by cosine similarity over the chunk vectors held in memory, and the two
rankings are fused by reciprocal rank, as Azure AI Search fuses its hybrid queries.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np
from pydantic import BaseModel

from shared.knowledge.chunks import Chunk

CANDIDATES = 50  # per ranking, before fusion
RRF_K = 60  # the constant of reciprocal rank fusion (Azure AI Search uses 60 too)
# Words that match nearly every chunk: in a keyword query they only add noise to BM25.
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "for", "from", "had",
    "has", "have", "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "should",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we",
    "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
))


class Hit(BaseModel):
    id: str
    document: str
    page: int
    text: str
    score: float  # the fused rank score: orders hits, says nothing of relevance on its own
    relevance: float  # 0..1: cosine similarity to the query locally, the semantic reranker's in Azure


# Asked right before a document's new chunks are committed: False drops them (the file was
# deleted or replaced meanwhile).
StillCurrent = Callable[[], Awaitable[bool]]


async def always_current() -> bool:
    """For content no upload can replace (benchmarks)."""
    return True


class SearchIndex(Protocol):
    async def replace_document(self, document: str, chunks: list[Chunk], vectors: np.ndarray,
                               still_current: StillCurrent) -> bool:
        """Swaps the document's chunks for these; False (and nothing written) if no longer current."""
        ...

    async def delete_document(self, document: str) -> int: ...

    async def delete_all(self) -> int: ...

    async def search(self, text: str, vector: np.ndarray, top: int) -> list[Hit]: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, document TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks (document);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_words USING fts5(text, id UNINDEXED, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS generation (value INTEGER NOT NULL);
INSERT INTO generation SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM generation);
"""


def count_chunks(path: Path) -> int:
    """Chunks in a local index; 0 before anything was indexed."""
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path, timeout=5)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        except sqlite3.OperationalError:  # created but not yet given its tables
            return 0


class LocalHybridIndex:
    def __init__(self, path: Path, dimensions: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._dimensions = dimensions
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)
        # (generation, ids, matrix), replaced whole so that concurrent searches see one consistent set.
        self._vectors: tuple[int, list[str], np.ndarray] = (-1, [], np.zeros((0, dimensions), dtype=np.float32))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one unit of work: committed on success, always closed."""
        db = sqlite3.connect(self._path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                yield db
        finally:
            db.close()

    async def replace_document(self, document: str, chunks: list[Chunk], vectors: np.ndarray,
                               still_current: StillCurrent) -> bool:
        loop = asyncio.get_running_loop()

        def ask() -> bool:  # from the worker thread, on the loop that owns the storage client
            return asyncio.run_coroutine_threadsafe(still_current(), loop).result(timeout=60)

        return await asyncio.to_thread(self._replace, document, chunks, vectors, ask) is not None

    async def delete_document(self, document: str) -> int:
        return await asyncio.to_thread(self._replace, document, [], np.zeros((0, self._dimensions))) or 0

    async def delete_all(self) -> int:
        return await asyncio.to_thread(self._delete_all)

    async def search(self, text: str, vector: np.ndarray, top: int) -> list[Hit]:
        return await asyncio.to_thread(self.search_now, text, vector, top)

    def _replace(self, document: str, chunks: list[Chunk], vectors: np.ndarray,
                 still_current: Callable[[], bool] | None = None) -> int | None:
        """Swaps a document's chunks in one transaction: searches see the old set or the new one.

        `still_current` is asked last, while the transaction holds the write lock. A file deleted
        before its answer: nothing is written (None). Deleted after it: the delete removes the
        chunks after this commit, since it deletes the file first and then waits for this lock.
        """
        with self._lock, self._connect() as db:
            old = [row[0] for row in db.execute("SELECT id FROM chunks WHERE document = ?", (document,))]
            db.executemany("DELETE FROM chunk_words WHERE id = ?", [(i,) for i in old])
            db.execute("DELETE FROM chunks WHERE document = ?", (document,))
            db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
                           [(c.id, c.document, c.page, c.text, v.astype(np.float32).tobytes())
                            for c, v in zip(chunks, vectors, strict=True)])
            db.executemany("INSERT INTO chunk_words (text, id) VALUES (?, ?)", [(c.text, c.id) for c in chunks])
            db.execute("UPDATE generation SET value = value + 1")
            if still_current is not None and not still_current():
                db.rollback()
                return None
        return len(old)

    def _delete_all(self) -> int:
        with self._lock, self._connect() as db:
            count = db.execute("DELETE FROM chunks").rowcount
            db.execute("DELETE FROM chunk_words")
            db.execute("UPDATE generation SET value = value + 1")
        return count

    def search_now(self, text: str, vector: np.ndarray, top: int) -> list[Hit]:
        with self._connect() as db:
            ids, matrix = self._current_vectors(db)
            ranked: dict[str, float] = {}
            for ranking in (self._by_words(db, text), self._by_meaning(ids, matrix, vector)):
                for rank, chunk_id in enumerate(ranking, 1):
                    ranked[chunk_id] = ranked.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
            best = sorted(ranked.items(), key=lambda item: -item[1])[:top]
            rows = {row[0]: row for row in db.execute(
                f"SELECT id, document, page, text, vector FROM chunks WHERE id IN ({','.join('?' * len(best))})",
                [chunk_id for chunk_id, _ in best])}
        query = vector.astype(np.float32)
        return [Hit(id=i, document=rows[i][1], page=rows[i][2], text=rows[i][3], score=round(score, 6),
                    relevance=round(float(np.frombuffer(rows[i][4], dtype=np.float32) @ query), 4))
                for i, score in best if i in rows]

    def _by_words(self, db: sqlite3.Connection, text: str) -> list[str]:
        terms = [t for t in re.findall(r"\w+", text.lower()) if t not in STOP_WORDS]
        if not terms:
            return []
        query = " OR ".join(f'"{term}"' for term in terms)  # quoted: user text is never FTS syntax
        rows = db.execute("SELECT id FROM chunk_words WHERE chunk_words MATCH ? ORDER BY bm25(chunk_words) LIMIT ?",
                          (query, CANDIDATES))
        return [row[0] for row in rows]

    @staticmethod
    def _by_meaning(ids: list[str], matrix: np.ndarray, vector: np.ndarray) -> list[str]:
        if not ids:
            return []
        scores = matrix @ vector.astype(np.float32)
        count = min(CANDIDATES, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        return [ids[i] for i in best[np.argsort(-scores[best])]]

    def _current_vectors(self, db: sqlite3.Connection) -> tuple[list[str], np.ndarray]:
        """The vectors, reloaded when any process changed the index since we last looked."""
        generation = db.execute("SELECT value FROM generation").fetchone()[0]
        loaded, ids, matrix = self._vectors
        if generation != loaded:
            rows = db.execute("SELECT id, vector FROM chunks").fetchall()
            ids = [row[0] for row in rows]
            matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(
                len(rows), self._dimensions)
            self._vectors = (generation, ids, matrix)
        return ids, matrix
