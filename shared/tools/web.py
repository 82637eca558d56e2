"""The web-search tool behind a port: an HTTP search API in Azure, the company's own pages offline."""

from __future__ import annotations

from typing import Annotated, Protocol

from pydantic import Field

from shared.settings import Settings
from shared.tools.context import ToolContext
from shared.tools.registry import tool


class WebSearch(Protocol):
    async def search(self, query: str, top: int) -> list[dict[str, str]]: ...


class HttpWebSearch:
    """Any HTTP search API answering `GET {url}?q=...&count=n` with `{"results": [{title, url, snippet}]}`."""

    def __init__(self, settings: Settings) -> None:
        self._url, self._key = settings.web_search_url, settings.web_search_key

    async def search(self, query: str, top: int) -> list[dict[str, str]]:
        import aiohttp

        async with aiohttp.ClientSession() as http, http.get(
                self._url, params={"q": query, "count": str(top)}, headers={"api-key": self._key}) as response:
            response.raise_for_status()
            found = (await response.json()).get("results", [])
        return [{"title": r["title"], "url": r["url"], "snippet": r["snippet"]} for r in found[:top]]


class CompanyPagesSearch:
    """Offline stand-in: the synthetic company's own news pages. Results say they come from here."""

    def __init__(self, company: str, industry: str) -> None:
        self._pages = [
            {"title": f"{company} opens three new stores", "url": "local://news/new-stores",
             "snippet": f"{company}, the {industry} retailer, opens three stores this spring and extends "
                        "same-day delivery to five more cities."},
            {"title": f"{company} launches a repair programme", "url": "local://news/repair",
             "snippet": f"Customers of {company} can now have products repaired for free during the warranty "
                        "and at cost afterwards."},
            {"title": f"{company} reports record customer satisfaction", "url": "local://news/satisfaction",
             "snippet": f"{company}'s contact center, now assisted by AI agents, resolved 64% of calls on the "
                        "first contact."},
        ]

    async def search(self, query: str, top: int) -> list[dict[str, str]]:
        words = {w for w in query.lower().split() if len(w) > 3}
        ranked = sorted(self._pages, key=lambda p: -len(words & set((p["title"] + p["snippet"]).lower().split())))
        return [{**page, "source": "offline stand-in: the company's own pages"} for page in ranked[:top]]


@tool(timeout_seconds=10.0)
async def web_search(ctx: ToolContext, query: Annotated[str, Field(min_length=2, max_length=300)],
                     top: Annotated[int, Field(ge=1, le=5)] = 3) -> list[dict[str, str]]:
    """Searches the web for current information, such as news about the company. Cite the result's title."""
    if ctx.settings.web_search_url:
        return await HttpWebSearch(ctx.settings).search(query, top)
    company = await ctx.data.companies.current()
    name, industry = (company.name, company.industry) if company else ("The company", "retail")
    return await CompanyPagesSearch(name, industry).search(query, top)
