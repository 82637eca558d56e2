"""What every web search adapter answers: pages with a title and a site to cite, or a sentence to say."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlparse

from pydantic import BaseModel


class WebPage(BaseModel):
    title: str
    url: str
    site: str  # what the agent says aloud as the source: "contoso-outdoor.example", not the whole URL
    snippet: str

    @classmethod
    def of(cls, title: str, url: str, snippet: str) -> WebPage:
        return cls(title=title.strip(), url=url, site=urlparse(url).hostname or url, snippet=snippet.strip())

    @property
    def citation(self) -> str:
        """Short enough to speak: the title and the site."""
        return f"{self.title} ({self.site})"


class WebAnswer(BaseModel):
    """The pages found; `summary` is the provider's own grounded answer when it writes one (the Bing agent)."""

    pages: list[WebPage]
    summary: str | None = None


class WebSearchUnavailableError(Exception):
    """The provider failed or refused: the message is a sentence the agent can say."""


class WebSearch(Protocol):
    name: str

    async def search(self, query: str, top: int) -> WebAnswer: ...

    async def probe(self) -> str:
        """Proves the provider answers (raises if not); returns a short description for /api/health."""
        ...


def refusal(provider: str, status: int) -> WebSearchUnavailableError:
    """An HTTP failure as the agent says it."""
    if status in (401, 403):
        return WebSearchUnavailableError(f"the web search ({provider}) refused our credentials")
    if status == 429:
        return WebSearchUnavailableError(f"the web search ({provider}) is busy; please ask again in a moment")
    return WebSearchUnavailableError(f"the web search ({provider}) is not answering right now")
