"""Azure AI Search adapter of the index port: a vector field, a semantic configuration, hybrid queries.

Not exercised offline (there is no emulator); it speaks the same port as the local index.
"""

from __future__ import annotations

import numpy as np

from shared.credentials import search_credential
from shared.knowledge.chunks import Chunk
from shared.knowledge.index import Hit, StillCurrent
from shared.settings import Settings

PROFILE, ALGORITHM, SEMANTIC = "chunks-vector", "chunks-hnsw", "chunks-semantic"


class AzureSearchIndex:
    def __init__(self, settings: Settings, dimensions: int) -> None:
        from azure.search.documents.aio import SearchClient
        from azure.search.documents.indexes.aio import SearchIndexClient

        from shared.azure_http import transport

        credential = search_credential(settings)
        self._name = settings.search_index
        self._dimensions = dimensions
        self._indexes = SearchIndexClient(settings.search_endpoint, credential, transport=transport())
        self._client = SearchClient(settings.search_endpoint, settings.search_index, credential, transport=transport())
        self._ensured = False

    async def _ensure(self) -> None:
        """Creates or updates the index once per process, never at import."""
        if self._ensured:
            return
        from azure.search.documents.indexes.models import (
            HnswAlgorithmConfiguration,
            SearchableField,
            SearchField,
            SearchFieldDataType,
            SearchIndex,
            SemanticConfiguration,
            SemanticField,
            SemanticPrioritizedFields,
            SemanticSearch,
            SimpleField,
            VectorSearch,
            VectorSearchProfile,
        )

        fields = [
            SimpleField(name="id", type=SearchFieldDataType.String, key=True),
            SimpleField(name="document", type=SearchFieldDataType.String, filterable=True),
            SimpleField(name="page", type=SearchFieldDataType.Int32),
            SearchableField(name="text", type=SearchFieldDataType.String, analyzer_name="en.microsoft"),
            # The title and headings are matched too: a heading often says what its paragraph does not.
            SearchableField(name="title", type=SearchFieldDataType.String, analyzer_name="en.microsoft"),
            SearchableField(name="section", type=SearchFieldDataType.String, analyzer_name="en.microsoft"),
            SearchField(name="vector", type=SearchFieldDataType.Collection(SearchFieldDataType.Single),
                        searchable=True, vector_search_dimensions=self._dimensions,
                        vector_search_profile_name=PROFILE),
        ]
        await self._indexes.create_or_update_index(SearchIndex(
            name=self._name, fields=fields,
            vector_search=VectorSearch(algorithms=[HnswAlgorithmConfiguration(name=ALGORITHM)],
                                       profiles=[VectorSearchProfile(name=PROFILE,
                                                                     algorithm_configuration_name=ALGORITHM)]),
            semantic_search=SemanticSearch(configurations=[SemanticConfiguration(
                name=SEMANTIC, prioritized_fields=SemanticPrioritizedFields(
                    title_field=SemanticField(field_name="title"),
                    content_fields=[SemanticField(field_name="text")],
                    keywords_fields=[SemanticField(field_name="section")]))]),
        ))
        self._ensured = True

    async def replace_document(self, document: str, chunks: list[Chunk], vectors: np.ndarray,
                               still_current: StillCurrent) -> bool:
        # No transactions here: the check runs right before the writes, which leaves the window of
        # these requests; a file deleted within it has its chunks removed again below.
        if not await still_current():
            return False
        await self.delete_document(document)
        batch = [{**c.model_dump(), "vector": v.tolist()} for c, v in zip(chunks, vectors, strict=True)]
        for start in range(0, len(batch), 500):
            await self._client.upload_documents(batch[start:start + 500])
        if not await still_current():
            await self.delete_document(document)
            return False
        return True

    async def delete_document(self, document: str) -> int:
        await self._ensure()
        quoted = document.replace("'", "''")
        found = self._client.search(search_text="*", filter=f"document eq '{quoted}'", select=["id"], top=100000)
        ids = [{"id": item["id"]} async for item in found]
        if ids:
            await self._client.delete_documents(ids)
        return len(ids)

    async def delete_all(self) -> int:
        await self._ensure()
        found = self._client.search(search_text="*", select=["id"], top=100000)
        ids = [{"id": item["id"]} async for item in found]
        for start in range(0, len(ids), 1000):
            await self._client.delete_documents(ids[start:start + 1000])
        return len(ids)

    async def search(self, text: str, vector: np.ndarray, top: int) -> list[Hit]:
        from azure.search.documents.models import VectorizedQuery

        await self._ensure()
        results = await self._client.search(
            search_text=text, top=top, query_type="semantic", semantic_configuration_name=SEMANTIC,
            vector_queries=[VectorizedQuery(vector=vector.tolist(), k_nearest_neighbors=top, fields="vector")],
            select=["id", "document", "page", "text", "title", "section"])
        # The semantic reranker scores 0 to 4.
        return [Hit(id=r["id"], document=r["document"], page=r["page"], text=r["text"], title=r.get("title") or "",
                    section=r.get("section") or "", score=r["@search.score"],
                    relevance=(r.get("@search.reranker_score") or 0.0) / 4) async for r in results]
