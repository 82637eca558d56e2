"""The knowledge base: ingestion (extract, chunk, embed, index) and search with citations."""

from __future__ import annotations

from pathlib import Path

from shared.knowledge.chunks import pieces
from shared.knowledge.embeddings import Embedder, embedder
from shared.knowledge.index import Hit, LocalHybridIndex, SearchIndex, StillCurrent
from shared.knowledge.query import focus
from shared.offloop import in_process
from shared.settings import Settings

CANDIDATE_CHUNKS = 30  # asked of the index per search, before collapsing by page


class KnowledgeBase:
    def __init__(self, embeddings: Embedder, index: SearchIndex, min_relevance: float = 0.0) -> None:
        self._embeddings = embeddings
        self._index = index
        self.min_relevance = min_relevance  # the floor calibrated for this index's relevance

    async def ingest(self, name: str, data: bytes, still_current: StillCurrent) -> int | None:
        """Indexes a document, replacing its earlier chunks; returns how many chunks it has, or
        None when `still_current` said, right before the commit, that the file was deleted or replaced."""
        chunks = await in_process(pieces, name, data)
        vectors = await self._embeddings.embed([c.indexed for c in chunks])
        return len(chunks) if await self._index.replace_document(name, chunks, vectors, still_current) else None

    async def forget(self, name: str) -> int:
        return await self._index.delete_document(name)

    async def forget_all(self) -> int:
        return await self._index.delete_all()

    async def search(self, query: str, top: int = 5, min_relevance: float | None = None) -> list[Hit]:
        """The pages that best answer `query`, best first, one hit a page (its best chunk) with its document
        and page to cite; none below the floor (`min_relevance`, else the backend's calibrated one)."""
        asked = focus(query)
        vector = (await self._embeddings.embed([asked]))[0]
        floor = self.min_relevance if min_relevance is None else min_relevance
        return [hit for hit in by_page(await self._index.search(asked, vector, max(top, CANDIDATE_CHUNKS)))
                if hit.relevance >= floor][:top]


def by_page(hits: list[Hit]) -> list[Hit]:
    """The first (best) hit of each page: five slots are five pages, not one page five times."""
    seen: set[tuple[str, int]] = set()
    kept = []
    for hit in hits:
        if (hit.document, hit.page) not in seen:
            seen.add((hit.document, hit.page))
            kept.append(hit)
    return kept


_bases: dict[str, KnowledgeBase] = {}


def index_path(settings: Settings) -> Path:
    return settings.local_data_dir / "knowledge" / "index.sqlite3"


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """One per process and index: the local index keeps its vectors in memory between searches."""
    key = settings.search_endpoint or str(settings.local_data_dir.resolve())
    if key not in _bases:
        embeddings = embedder(settings)
        if settings.search_endpoint:
            from shared.knowledge.azure_search import AzureSearchIndex

            index: SearchIndex = AzureSearchIndex(settings, embeddings.dimensions)
            floor = settings.search_min_relevance
        else:
            index = LocalHybridIndex(index_path(settings), embeddings.dimensions)
            floor = settings.local_search_min_relevance
        _bases[key] = KnowledgeBase(embeddings, index, floor)
    return _bases[key]
