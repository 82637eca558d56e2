"""Grounding with Bing Search through an Azure AI Foundry agent (what the reference product uses).

The agent is set up once in the Foundry project with the Bing grounding tool. Each search is one
run on a new thread (`POST {project}/threads/runs`), polled until it ends; the agent's answer is
the newest message, whose `url_citation` annotations name the pages it read; the thread is then
deleted. The Agent Service
takes Entra ID tokens only (scope https://ai.azure.com/.default): the app's managed identity.
Bing's own results are never returned to the caller of the agent, only the cited pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any, Protocol

from shared.credentials import identity
from shared.settings import Settings
from shared.websearch.port import WebAnswer, WebPage, WebSearchUnavailableError, refusal

API_VERSION = "v1"
SCOPE = "https://ai.azure.com/.default"
ENDED = {"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"}
MARKER = re.compile(r"\s*【[^】]*】")  # where the agent's text cites a source: 【3:0†source】


class TokenCredential(Protocol):
    async def get_token(self, *scopes: str) -> Any: ...


class BingGroundedAgent:
    name = "bing_agent"

    def __init__(self, settings: Settings, credential: TokenCredential | None = None,
                 poll_seconds: float = 0.5) -> None:
        self._project = settings.foundry_project_endpoint.rstrip("/")
        self._agent = settings.bing_agent_id
        self._credential: TokenCredential = credential or identity(settings)
        self._timeout = max(settings.dependency_timeout_seconds, 8.0)  # a grounded run takes seconds
        self._poll = poll_seconds

    async def _call(self, http: Any, method: str, path: str, query: dict[str, str] | None = None,
                    **kwargs: Any) -> dict[str, Any]:
        token = (await self._credential.get_token(SCOPE)).token
        async with http.request(method, f"{self._project}{path}", params={"api-version": API_VERSION, **(query or {})},
                                headers={"Authorization": f"Bearer {token}"}, **kwargs) as response:
            if response.status == 404:
                raise WebSearchUnavailableError("the web search agent is not set up in the Foundry project")
            if response.status >= 300:
                raise refusal(self.name, response.status)
            return await response.json()

    async def search(self, query: str, top: int) -> WebAnswer:
        import aiohttp

        if not (self._project and self._agent):
            raise WebSearchUnavailableError("the web search (bing_agent) is not set up: "
                                            "FOUNDRY_PROJECT_ENDPOINT or BING_AGENT_ID is empty")
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http:
            run = await self._call(http, "POST", "/threads/runs", json={
                "assistant_id": self._agent, "thread": {"messages": [{"role": "user", "content": query}]}})
            thread = run["thread_id"]
            try:
                async with asyncio.timeout(self._timeout):
                    while run["status"] not in ENDED:
                        await asyncio.sleep(self._poll)
                        run = await self._call(http, "GET", f"/threads/{thread}/runs/{run['id']}")
            except TimeoutError:
                raise WebSearchUnavailableError("the web search took too long; please ask again") from None
            if run["status"] != "completed":
                raise WebSearchUnavailableError("the web search could not find an answer just now")
            messages = await self._call(http, "GET", f"/threads/{thread}/messages",
                                        query={"order": "desc", "limit": "1"})
            with contextlib.suppress(WebSearchUnavailableError):  # a thread left behind costs nothing but space
                await self._call(http, "DELETE", f"/threads/{thread}")
        return answer_of(messages, top)

    async def probe(self) -> str:
        import aiohttp

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http:
            agent = await self._call(http, "GET", f"/assistants/{self._agent}")
        return f"bing_agent: agent {agent.get('name') or self._agent} answers"


def answer_of(messages: dict[str, Any], top: int) -> WebAnswer:
    """The agent's newest message as a summary and the pages its url_citation annotations cite."""
    reply = next((m for m in messages.get("data", []) if m.get("role") == "assistant"), None)
    if reply is None:
        raise WebSearchUnavailableError("the web search could not find an answer just now")
    pages: dict[str, WebPage] = {}
    texts = []
    for part in reply.get("content", []):
        if part.get("type") != "text":
            continue
        value = part["text"]["value"]
        texts.append(value)
        for note in part["text"].get("annotations", []):
            cited = note.get("url_citation") or {}
            if note.get("type") == "url_citation" and cited.get("url") and cited["url"] not in pages:
                pages[cited["url"]] = WebPage.of(cited.get("title") or cited["url"], cited["url"],
                                                 _sentence_at(value, note.get("start_index", 0)))
    summary = MARKER.sub("", " ".join(texts)).strip()
    return WebAnswer(pages=list(pages.values())[:top], summary=summary or None)


def _sentence_at(text: str, index: int) -> str:
    """The sentence a citation marker sits in: what the cited page said."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s+", text[:index])]
    end = re.search(r"[.!?](\s|$)", text[index:])
    return MARKER.sub("", text[starts[-1] if starts else 0:index + end.start() + 1 if end else len(text)]).strip()
