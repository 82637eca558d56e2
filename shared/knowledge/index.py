"""The search index port and its local adapter.

Local: SQLite FTS5 ranks by BM25 (a full-text engine every Python has, tested far beyond what we
would write), numpy ranks by cosine similarity over the chunk vectors held in memory, and the two
rankings are fused by reciprocal rank, as Azure AI Search fuses its hybrid queries.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from pydantic import BaseModel

from shared.knowledge.chunks import Chunk
from shared.knowledge.ranking import coverage, idf, named_document, named_words, relevance, terms

CANDIDATES = 50  # per ranking, before fusion
# Keyword search uses the question's rarest words only: they carry BM25's weight (long questions
# have many words), and a word found in more chunks than MAX_POSTINGS is left out: scoring its
# postings costs about a millisecond a thousand here (bench/ingest.py at 100,000 chunks) and so
# common a word adds little. It still counts for the reranker's coverage.
QUERY_WORDS = 8
MAX_POSTINGS = 2000
RERANKED = 30  # fused candidates the reranker scores
RRF_K = 60  # the constant of reciprocal rank fusion (Azure AI Search uses 60 too)


class Hit(BaseModel):
    id: str
    document: str
    page: int
    text: str
    score: float  # the fused rank score of the first retrieval: orders one query's hits, nothing more
    # 0..1, comparable across queries: the reranker's probability locally (shared/knowledge/ranking.py),
    # the semantic ranker's score / 4 in Azure. Each backend's floor is a setting.
    relevance: float
    title: str = ""
    section: str = ""


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
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, chunks INTEGER NOT NULL) WITHOUT ROWID;
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
            columns = {row[1] for row in db.execute("PRAGMA table_info(chunks)")}
            for column in {"title", "section", "words"} - columns:  # an index from before these columns
                db.execute(f"ALTER TABLE chunks ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
        # What searches read, replaced whole so that concurrent searches see one consistent set.
        self._loaded = _Loaded(-1, [], np.zeros((0, dimensions), dtype=np.float32), {})
        self._readers = threading.local()  # a connection per searching thread: opening one costs milliseconds

    def _reader(self) -> sqlite3.Connection:
        if getattr(self._readers, "db", None) is None:
            self._readers.db = sqlite3.connect(self._path, timeout=30)
        return self._readers.db

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
            old = db.execute("SELECT id, words FROM chunks WHERE document = ?", (document,)).fetchall()
            db.executemany("DELETE FROM chunk_words WHERE id = ?", [(row[0],) for row in old])
            db.execute("DELETE FROM chunks WHERE document = ?", (document,))
            words = [terms(c.indexed) for c in chunks]
            db.executemany("INSERT INTO chunks (id, document, page, text, vector, title, section, words) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [(c.id, c.document, c.page, c.text, v.astype(np.float32).tobytes(), c.title, c.section,
                             " ".join(sorted(w))) for c, v, w in zip(chunks, vectors, words, strict=True)])
            db.executemany("INSERT INTO chunk_words (text, id) VALUES (?, ?)", [(c.indexed, c.id) for c in chunks])
            counts: Counter[str] = Counter()
            for found in words:
                counts.update(found)
            for _, old_words in old:
                counts.subtract(old_words.split())
            db.executemany("INSERT INTO terms VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET chunks = chunks + ?",
                           [(term, n, n) for term, n in counts.items() if n])
            db.execute("DELETE FROM terms WHERE chunks <= 0")
            db.execute("UPDATE generation SET value = value + 1")
            if still_current is not None and not still_current():
                db.rollback()
                return None
        return len(old)

    def _delete_all(self) -> int:
        with self._lock, self._connect() as db:
            count = db.execute("DELETE FROM chunks").rowcount
            db.execute("DELETE FROM chunk_words")
            db.execute("DELETE FROM terms")
            db.execute("UPDATE generation SET value = value + 1")
        return count

    def search_now(self, text: str, vector: np.ndarray, top: int) -> list[Hit]:
        """The chunks most likely to answer, by the reranker's relevance (shared/knowledge/ranking.py)."""
        return [hit for hit, _ in self.candidates(text, vector)][:top]

    def candidates(self, text: str, vector: np.ndarray) -> list[tuple[Hit, tuple[float, float, float]]]:
        """The fused candidates, best first, each with the reranker's features (bench/retrieval.py fits on them)."""
        query = vector.astype(np.float32)
        words = terms(text)
        db = self._reader()
        loaded = self._current(db)
        known = dict(db.execute(f"SELECT term, chunks FROM terms WHERE term IN ({','.join('?' * len(words))})",
                                sorted(words)).fetchall())
        ranked: dict[str, float] = {}
        rarest = sorted((t for t in known if known[t] <= MAX_POSTINGS), key=known.__getitem__)[:QUERY_WORDS]
        for ranking in (self._by_words(db, rarest), self._by_meaning(loaded, query)):
            for rank, chunk_id in enumerate(ranking, 1):
                ranked[chunk_id] = ranked.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
        fused = sorted(ranked.items(), key=lambda item: -item[1])[:RERANKED]
        rows = {row[0]: row for row in db.execute(
            "SELECT id, document, page, text, vector, title, section, words FROM chunks "
            f"WHERE id IN ({','.join('?' * len(fused))})", [chunk_id for chunk_id, _ in fused])}
        weights = {term: idf(known.get(term, 0), len(loaded.ids)) for term in words}
        named = named_words(words, loaded.titles.values())
        hits = []
        for chunk_id, score in fused:
            if (row := rows.get(chunk_id)) is None:
                continue
            _, document, page, passage, blob, title, section, found = row
            cosine = float(np.frombuffer(blob, dtype=np.float32) @ query)
            covered = coverage(weights, set(found.split()))
            in_named = named_document(named, loaded.titles.get(title, set()))
            hits.append((Hit(id=chunk_id, document=document, page=page, text=passage, title=title, section=section,
                             score=round(score, 6), relevance=round(relevance(cosine, covered, in_named), 4)),
                         (cosine, covered, in_named)))
        return sorted(hits, key=lambda found: (-found[0].relevance, -found[0].score))

    @staticmethod
    def _by_words(db: sqlite3.Connection, words: list[str]) -> list[str]:
        if not words:
            return []
        query = " OR ".join(f'"{term}"' for term in sorted(words))  # quoted: user text is never FTS syntax
        rows = db.execute("SELECT id FROM chunk_words WHERE chunk_words MATCH ? ORDER BY bm25(chunk_words) LIMIT ?",
                          (query, CANDIDATES))
        return [row[0] for row in rows]

    @staticmethod
    def _by_meaning(loaded: _Loaded, vector: np.ndarray) -> list[str]:
        if not loaded.ids:
            return []
        # Row by row on this thread, not BLAS's matrix product: that wakes a second thread which then spins
        # between searches, twice the CPU of a search on a host's few shared cores (bench/ingest.py).
        scores = np.vecdot(loaded.matrix, vector)
        count = min(CANDIDATES, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        return [loaded.ids[i] for i in best[np.argsort(-scores[best])]]

    def _current(self, db: sqlite3.Connection) -> _Loaded:
        """The vectors and titles, reloaded when any process changed the index since we last looked."""
        generation = db.execute("SELECT value FROM generation").fetchone()[0]
        if generation != self._loaded.generation:
            rows = db.execute("SELECT id, vector FROM chunks").fetchall()
            matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(
                len(rows), self._dimensions)
            # One title a document: a row per document through its index, not a scan of every chunk.
            titles = {row[0]: terms(row[0]) for row in db.execute("SELECT title FROM chunks GROUP BY document")}
            self._loaded = _Loaded(generation, [row[0] for row in rows], matrix, titles)
        return self._loaded


@dataclass(frozen=True)
class _Loaded:
    generation: int
    ids: list[str]
    matrix: np.ndarray
    titles: dict[str, set[str]]  # each document title's words
