"""The Brave Web Search API: `GET /res/v1/web/search?q=&count=` with the `X-Subscription-Token` header.

Its documented answer (WebSearchApiResponse) holds the pages under `web.results`, each with
`title`, `url`, `description` and `meta_url.hostname`; descriptions mark matches with <strong>.
"""

from __future__ import annotations

import re

from shared.settings import Settings
from shared.websearch.port import WebAnswer, WebPage, WebSearchUnavailableError, refusal

TAGS = re.compile(r"<[^>]+>")


class BraveSearch:
    name = "brave"

    def __init__(self, settings: Settings) -> None:
        self._url, self._key = settings.brave_search_url, settings.brave_search_key
        self._timeout = settings.dependency_timeout_seconds

    async def _get(self, query: str, count: int) -> dict:
        import aiohttp

        if not self._key:
            raise WebSearchUnavailableError("the web search (brave) is not set up: BRAVE_SEARCH_KEY is empty")
        headers = {"X-Subscription-Token": self._key, "Accept": "application/json"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http, http.get(
                self._url, params={"q": query, "count": str(count)}, headers=headers) as response:
            if response.status != 200:
                raise refusal(self.name, response.status)
            return await response.json()

    async def search(self, query: str, top: int) -> WebAnswer:
        found = ((await self._get(query, top)).get("web") or {}).get("results") or []
        return WebAnswer(pages=[
            WebPage(title=TAGS.sub("", r["title"]), url=r["url"],
                    site=(r.get("meta_url") or {}).get("hostname") or WebPage.of("", r["url"], "").site,
                    snippet=TAGS.sub("", r.get("description", "")))
            for r in found[:top] if r.get("title") and r.get("url")])

    async def probe(self) -> str:
        """Sends the key without a query: the API checks the key first, so no search is spent on it."""
        import aiohttp

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http, http.get(
                self._url, headers={"X-Subscription-Token": self._key}) as response:
            if response.status in (401, 403) or response.status >= 500:
                raise refusal(self.name, response.status)
        return f"brave at {self._url}: answers"
