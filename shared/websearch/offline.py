"""Offline web search: the company's public pages, ranked by the knowledge base's own hybrid ranking."""

from __future__ import annotations

import hashlib

from shared.data.access import BusinessData
from shared.knowledge.base import KnowledgeBase
from shared.knowledge.embeddings import embedder
from shared.knowledge.index import LocalHybridIndex, always_current
from shared.settings import Settings
from shared.websearch.company_pages import PublicPage, public_pages
from shared.websearch.port import WebAnswer, WebPage

_built: dict[str, tuple[KnowledgeBase, dict[str, PublicPage]]] = {}


class CompanyPagesSearch:
    name = "offline"

    def __init__(self, settings: Settings, data: BusinessData) -> None:
        self._settings, self._data = settings, data

    async def _pages(self) -> dict[str, PublicPage]:
        company = await self._data.companies.current()
        name, industry, seed = (company.name, company.industry, company.seed) if company else (
            "The company", "goods", 0)
        return {p.url: p for p in public_pages(name, industry, seed, await self._data.products.all())}

    async def _index(self) -> tuple[KnowledgeBase, dict[str, PublicPage]]:
        """The pages' index, built once per set of pages (a new company or catalog builds a new one)."""
        pages = await self._pages()
        digest = hashlib.sha256("\n".join(f"{p.url}\t{p.title}\t{p.text}" for p in pages.values()).encode()
                                ).hexdigest()[:16]
        if digest not in _built:
            folder = self._settings.local_data_dir / "web"
            done = folder / f"{digest}.done"
            embeddings = embedder(self._settings)
            base = KnowledgeBase(embeddings, LocalHybridIndex(folder / f"{digest}.sqlite3", embeddings.dimensions))
            # A build cut short (or run twice at once) is harmless: each page replaces its own chunks.
            if not done.exists():
                for page in pages.values():
                    await base.ingest(f"{page.url}.txt", f"{page.title}\n\n{page.text}".encode(), always_current)
                done.touch()
            _built[digest] = base, pages
        return _built[digest][0], pages

    async def search(self, query: str, top: int) -> WebAnswer:
        base, pages = await self._index()
        found: list[WebPage] = []
        for hit in await base.search(query, top=top * 3):
            page = pages[hit.document.removesuffix(".txt")]
            if all(p.url != page.url for p in found):
                found.append(WebPage.of(page.title, page.url, page.text))
        return WebAnswer(pages=found[:top])

    async def probe(self) -> str:
        pages = await self._pages()  # reads Cosmos DB; the index is built by the first search
        return f"offline: {len(pages)} public pages of the company"
