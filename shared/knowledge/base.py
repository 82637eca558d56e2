"""The knowledge base: ingestion (extract, chunk, embed, index) and search with citations."""

from __future__ import annotations

from pathlib import Path

from shared.knowledge.chunks import pieces
from shared.knowledge.embeddings import Embedder, embedder
from shared.knowledge.index import Hit, LocalHybridIndex, SearchIndex, StillCurrent
from shared.offloop import in_process
from shared.settings import Settings


class KnowledgeBase:
    def __init__(self, embeddings: Embedder, index: SearchIndex) -> None:
        self._embeddings = embeddings
        self._index = index

    async def ingest(self, name: str, data: bytes, still_current: StillCurrent) -> int | None:
        """Indexes a document, replacing its earlier chunks; returns how many chunks it has, or
        None when `still_current` said, right before the commit, that the file was deleted or replaced."""
        chunks = await in_process(pieces, name, data)
        vectors = await self._embeddings.embed([c.text for c in chunks])
        return len(chunks) if await self._index.replace_document(name, chunks, vectors, still_current) else None

    async def forget(self, name: str) -> int:
        return await self._index.delete_document(name)

    async def forget_all(self) -> int:
        return await self._index.delete_all()

    async def search(self, query: str, top: int = 5) -> list[Hit]:
        """The chunks that best answer `query`, each with its document and page to cite."""
        vector = (await self._embeddings.embed([query]))[0]
        return await self._index.search(query, vector, top)


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
        else:
            index = LocalHybridIndex(index_path(settings), embeddings.dimensions)
        _bases[key] = KnowledgeBase(embeddings, index)
    return _bases[key]
