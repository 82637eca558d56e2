"""Web search adapters against stub servers that answer as the providers document, and the offline
stand-in over the company's own pages with the knowledge base's ranking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from local.stack import Endpoints
from shared.data.access import business_data
from shared.data.company import CompanyRecord, RunStatus
from shared.data.models import Product
from shared.diagnostics import run_check
from shared.settings import Settings
from shared.tools.registry import execute
from shared.tools.runner import all_tools
from shared.websearch.bing_agent import BingGroundedAgent
from shared.websearch.brave import BraveSearch
from shared.websearch.offline import CompanyPagesSearch
from shared.websearch.port import WebSearchUnavailableError
from tests.stub_server import serving

# --- Grounding with Bing Search through the Foundry Agent Service ---------------------------------------
# Shapes from the Agent Service REST reference (learn.microsoft.com/rest/api/aifoundry/aiagents: "Create
# Thread And Run" POST /threads/runs, "Get Run", "List Messages") and the azure-ai-agents SDK's models
# (ThreadRun: id, thread_id, status; ThreadMessage content of type "text" with `annotations` of type
# "url_citation": MessageTextUrlCitationAnnotation {text, url_citation: {url, title}, start_index, end_index}).
ANSWER = ("Contoso Outdoor opened three stores in Denver this spring【3:0†source】. It also started a free "
          "repair service for tents【3:1†source】.")
CITED = [("Contoso Outdoor opens stores in Denver", "https://news.example.org/contoso-denver", "【3:0†source】"),
         ("Tent repairs at Contoso", "https://www.contoso-outdoor.example/repairs", "【3:1†source】")]


@dataclass
class TokenStub:
    token: str
    expires_on: int


class EntraToken:
    """Stands in for the managed identity (no Entra ID here): hands out one token and records the scope."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    async def get_token(self, *scopes: str) -> TokenStub:
        self.scopes.extend(scopes)
        return TokenStub("entra-token", 2_000_000_000)


def agent_service(requests: list[dict[str, Any]], final_status: str = "completed", status: int = 200) -> list[Route]:
    polls = {"count": 0}

    async def record(request: Request) -> dict[str, Any]:
        seen = {"method": request.method, "path": request.url.path, "query": dict(request.query_params),
                "auth": request.headers.get("authorization")}
        if request.method == "POST":
            seen["body"] = await request.json()
        requests.append(seen)
        return seen

    async def create_thread_and_run(request: Request) -> JSONResponse:
        await record(request)
        if status != 200:
            return JSONResponse({"error": {"code": "Unauthorized", "message": "no"}}, status_code=status)
        return JSONResponse({"id": "run_abc", "object": "thread.run", "thread_id": "thread_xyz",
                             "assistant_id": "asst_web", "status": "queued", "created_at": 1767225600})

    async def get_run(request: Request) -> JSONResponse:
        await record(request)
        polls["count"] += 1
        state = "in_progress" if polls["count"] < 2 else final_status
        return JSONResponse({"id": "run_abc", "object": "thread.run", "thread_id": "thread_xyz", "status": state,
                             "last_error": None if state != "failed" else {"code": "server_error", "message": "x"}})

    async def list_messages(request: Request) -> JSONResponse:
        await record(request)
        annotations = [{"type": "url_citation", "text": marker, "start_index": ANSWER.index(marker),
                        "end_index": ANSWER.index(marker) + len(marker), "url_citation": {"url": url, "title": title}}
                       for title, url, marker in CITED]
        return JSONResponse({"object": "list", "first_id": "msg_2", "last_id": "msg_2", "has_more": False, "data": [
            {"id": "msg_2", "object": "thread.message", "thread_id": "thread_xyz", "role": "assistant",
             "run_id": "run_abc", "assistant_id": "asst_web",
             "content": [{"type": "text", "text": {"value": ANSWER, "annotations": annotations}}]}]})

    async def delete_thread(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"id": "thread_xyz", "object": "thread.deleted", "deleted": True})

    async def get_agent(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"id": "asst_web", "object": "assistant", "name": "web-grounding",
                             "tools": [{"type": "bing_grounding"}]})

    project = "/api/projects/callcenter"
    return [Route(f"{project}/threads/runs", create_thread_and_run, methods=["POST"]),
            Route(f"{project}/threads/thread_xyz/runs/run_abc", get_run),
            Route(f"{project}/threads/thread_xyz/messages", list_messages),
            Route(f"{project}/threads/thread_xyz", delete_thread, methods=["DELETE"]),
            Route(f"{project}/assistants/asst_web", get_agent)]


def bing_settings(base_url: str) -> Settings:
    return Settings(WEB_SEARCH_PROVIDER="bing_agent", FOUNDRY_PROJECT_ENDPOINT=f"{base_url}/api/projects/callcenter",
                    BING_AGENT_ID="asst_web")


async def test_the_bing_grounded_agent_runs_a_thread_and_cites_the_pages_it_used() -> None:
    requests: list[dict[str, Any]] = []
    credential = EntraToken()
    with serving(agent_service(requests)) as base_url:
        answer = await BingGroundedAgent(bing_settings(base_url), credential, poll_seconds=0.01).search(
            "latest news about Contoso Outdoor", 3)
    started = requests[0]
    assert (started["method"], started["path"]) == ("POST", "/api/projects/callcenter/threads/runs")
    assert started["body"] == {"assistant_id": "asst_web", "thread": {"messages": [
        {"role": "user", "content": "latest news about Contoso Outdoor"}]}}
    assert all(r["auth"] == "Bearer entra-token" and r["query"]["api-version"] == "v1" for r in requests)
    assert set(credential.scopes) == {"https://ai.azure.com/.default"}
    assert requests[-2]["query"] == {"order": "desc", "limit": "1", "api-version": "v1"}
    assert (requests[-1]["method"], requests[-1]["path"]) == ("DELETE", "/api/projects/callcenter/threads/thread_xyz")
    assert [(p.title, p.url, p.site) for p in answer.pages] == [
        (CITED[0][0], CITED[0][1], "news.example.org"), (CITED[1][0], CITED[1][1], "www.contoso-outdoor.example")]
    assert answer.pages[0].snippet == "Contoso Outdoor opened three stores in Denver this spring."
    assert answer.pages[0].citation == "Contoso Outdoor opens stores in Denver (news.example.org)"
    assert answer.summary is not None and "【" not in answer.summary and "Denver" in answer.summary


@pytest.mark.parametrize(("final_status", "status", "said"), [
    ("failed", 200, "could not find an answer"), ("completed", 401, "refused our credentials"),
    ("completed", 429, "busy")])
async def test_a_failed_agent_run_becomes_a_sentence(final_status: str, status: int, said: str) -> None:
    with serving(agent_service([], final_status, status)) as base_url, pytest.raises(
            WebSearchUnavailableError, match=said):
        await BingGroundedAgent(bing_settings(base_url), EntraToken(), poll_seconds=0.01).search("news", 3)


async def test_the_agent_probe_reads_the_agent_definition() -> None:
    requests: list[dict[str, Any]] = []
    with serving(agent_service(requests)) as base_url:
        assert "web-grounding answers" in await BingGroundedAgent(bing_settings(base_url), EntraToken()).probe()
    assert requests[0]["path"] == "/api/projects/callcenter/assistants/asst_web"


# --- Brave Web Search API -----------------------------------------------------------------------------
# Shape from the Brave Search API documentation (api-dashboard.search.brave.com/docs: GET
# /res/v1/web/search?q=&count= with X-Subscription-Token; WebSearchApiResponse {type: "search", query,
# web: {type: "search", results: [SearchResult {title, url, description, meta_url {scheme, netloc,
# hostname, path}, profile, age}]}}; descriptions mark the matched words with <strong>).
def brave_api(requests: list[dict[str, Any]]) -> list[Route]:
    async def search(request: Request) -> JSONResponse:
        requests.append({"query": dict(request.query_params), "token": request.headers.get("x-subscription-token")})
        if request.headers.get("x-subscription-token") != "brave-key":
            return JSONResponse({"type": "ErrorResponse", "error": {"code": "SUBSCRIPTION_TOKEN_INVALID",
                                                                    "status": 401}}, status_code=401)
        if "q" not in request.query_params:
            return JSONResponse({"type": "ErrorResponse", "error": {"code": "VALIDATION", "status": 422}},
                                status_code=422)
        if request.query_params["q"] == "too many":
            return JSONResponse({"type": "ErrorResponse", "error": {"code": "RATE_LIMITED", "status": 429}},
                                status_code=429)
        return JSONResponse({"type": "search", "query": {"original": request.query_params["q"]}, "web": {
            "type": "search", "family_friendly": True, "results": [
                {"type": "search_result", "title": "Contoso Outdoor <strong>opens</strong> stores",
                 "url": "https://news.example.org/contoso/stores", "is_source_local": False,
                 "description": "The <strong>outdoor</strong> retailer opens three stores.", "age": "2 days ago",
                 "profile": {"name": "Example News", "url": "https://news.example.org"},
                 "meta_url": {"scheme": "https", "netloc": "news.example.org", "hostname": "news.example.org",
                              "path": "/contoso/stores"}},
                {"type": "search_result", "title": "Contoso Outdoor", "url": "https://contoso-outdoor.example/",
                 "description": "Tents, packs and stoves.",
                 "meta_url": {"scheme": "https", "netloc": "contoso-outdoor.example",
                              "hostname": "contoso-outdoor.example", "path": ""}}]}})

    return [Route("/res/v1/web/search", search)]


def brave_settings(base_url: str, key: str = "brave-key") -> Settings:
    return Settings(WEB_SEARCH_PROVIDER="brave", BRAVE_SEARCH_URL=f"{base_url}/res/v1/web/search",
                    BRAVE_SEARCH_KEY=key)


async def test_brave_search_sends_the_key_and_parses_the_documented_results() -> None:
    requests: list[dict[str, Any]] = []
    with serving(brave_api(requests)) as base_url:
        answer = await BraveSearch(brave_settings(base_url)).search("Contoso Outdoor news", 1)
    assert requests == [{"query": {"q": "Contoso Outdoor news", "count": "1"}, "token": "brave-key"}]
    assert [(p.title, p.site, p.snippet) for p in answer.pages] == [
        ("Contoso Outdoor opens stores", "news.example.org", "The outdoor retailer opens three stores.")]


async def test_brave_failures_become_sentences_and_the_probe_spends_no_search() -> None:
    requests: list[dict[str, Any]] = []
    with serving(brave_api(requests)) as base_url:
        with pytest.raises(WebSearchUnavailableError, match="refused our credentials"):
            await BraveSearch(brave_settings(base_url, "wrong")).search("news", 3)
        with pytest.raises(WebSearchUnavailableError, match="busy"):
            await BraveSearch(brave_settings(base_url)).search("too many", 3)
        assert "answers" in await BraveSearch(brave_settings(base_url)).probe()
        health = await run_check("web_search", brave_settings(base_url, "wrong"))
    assert "q" not in requests[-1]["query"]
    assert (health.status, health.detail) == ("down", "brave: the web search (brave) refused our credentials")


async def test_the_tool_answers_with_citable_pages_or_says_why_it_cannot() -> None:
    spec = all_tools()["web_search"]
    with serving(brave_api([])) as base_url:
        found = await execute(spec, SimpleNamespace(settings=brave_settings(base_url), data=None), {"query": "news"})
        failed = await execute(spec, SimpleNamespace(settings=brave_settings(base_url, "wrong"), data=None),
                               {"query": "news"})
    assert found.ok and found.result["provider"] == "brave"
    assert found.result["results"][0]["citation"] == "Contoso Outdoor opens stores (news.example.org)"
    assert failed.refused and failed.error == "the web search (brave) refused our credentials"


# --- Offline: the company's pages ---------------------------------------------------------------------
PRODUCTS = [("Trailblazer 2-Person Tent", "tents", "A light two-person tent for three seasons, with two doors."),
            ("Summit 40L Backpack", "packs", "A 40 litre hiking backpack with a rain cover and hip belt."),
            ("Camp Stove Mini", "cooking", "A folding gas stove that boils a litre of water in four minutes.")]


@pytest.fixture(scope="module")
def offline_settings(stack: Endpoints, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(**stack.as_settings(), COSMOS_DATABASE=f"web-{uuid.uuid4().hex[:8]}",
                    LOCAL_DATA_DIR=str(tmp_path_factory.mktemp("web")))


async def test_the_offline_search_answers_each_question_with_a_page_about_it(offline_settings: Settings) -> None:
    data = await business_data(offline_settings)
    await data.companies.begin(CompanyRecord(name="Contoso Outdoor", industry="outdoor gear", seed=7, run_id="r",
                                             status=RunStatus.COMPLETE, requested={}, started_at=datetime.now(UTC)))
    await data.products.create_many([Product(id=f"prod-{i:04d}", name=name, category=category, description=text,
                                             price=99.0, stock=5) for i, (name, category, text) in enumerate(PRODUCTS)])
    search = CompanyPagesSearch(offline_settings, data)
    top = {question: (await search.search(question, 3)).pages[0] for question in (
        "Are you opening any new stores?", "Can you repair my gear after the warranty?",
        "Do you sell a hiking backpack?", "Is the company hiring?", "When does the summer sale start?")}
    assert [page.url.rsplit("/", 1)[-1] for page in top.values()] == [
        "new-stores", "repair-programme", "prod-0001", "careers", "summer-sale"]
    assert all(page.site == "contoso-outdoor.example" for page in top.values())
    assert "Contoso Outdoor" in top["Are you opening any new stores?"].title
    assert (Path(offline_settings.local_data_dir) / "web").is_dir()
