"""One check per dependency.

A quick check proves the service answers (health probes run it on every call); a deep check
does a real round trip (the diagnostics orchestration runs it). Clients are created per check
and closed after it: nothing is opened at import time.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
import uuid
from collections.abc import Awaitable, Callable
from enum import StrEnum

from pydantic import BaseModel

from shared.credentials import COGNITIVE_SERVICES, SEARCH, cosmos_credential, identity, uses_identity
from shared.settings import Settings


class Status(StrEnum):
    UP = "up"
    DOWN = "down"
    # Not part of this installation: not configured, or a feature not yet installed.
    ABSENT = "absent"


class DependencyReport(BaseModel):
    name: str
    status: Status
    detail: str
    latency_ms: float

    @classmethod
    def unanswered(cls, name: str, seconds: float) -> DependencyReport:
        return cls(name=name, status=Status.DOWN, detail=f"no answer within {seconds:g} s",
                   latency_ms=seconds * 1000)


Check = Callable[[Settings, bool], Awaitable[tuple[Status, str]]]


async def check_blob(settings: Settings, deep: bool) -> tuple[Status, str]:
    from shared.blobs import blob_service

    async with blob_service(settings) as service:
        if not deep:
            async for _ in service.list_containers(results_per_page=1):
                break
            return Status.UP, f"blob service at {service.primary_hostname}"
        container = service.get_container_client("diagnostics")
        if not await container.exists():
            await container.create_container()
        payload = uuid.uuid4().bytes
        blob = container.get_blob_client(f"probe-{uuid.uuid4().hex}")
        await blob.upload_blob(payload)
        try:
            read_back = await (await blob.download_blob()).readall()
        finally:
            await blob.delete_blob()
        if read_back != payload:
            return Status.DOWN, "blob round trip returned different bytes"
        return Status.UP, "blob write, read and delete succeeded"


async def check_cosmos(settings: Settings, deep: bool) -> tuple[Status, str]:
    from azure.cosmos.aio import CosmosClient

    from shared.azure_http import transport

    credential = cosmos_credential(settings)
    if not credential:
        return Status.ABSENT, "COSMOS_KEY is not set"
    async with CosmosClient(
        settings.cosmos_endpoint,
        credential=credential,
        connection_verify=settings.cosmos_verify_tls,
        transport=transport(),
    ) as client:
        names = [db["id"] async for db in client.list_databases()]
        if not deep:
            return Status.UP, f"{len(names)} database(s)"
        database = settings.cosmos_database
        if database not in names:
            return Status.UP, f"answers; database {database!r} not created yet"
        containers = [c["id"] async for c in client.get_database_client(database).list_containers()]
        return Status.UP, f"database {database!r} with {len(containers)} container(s)"


async def check_search(settings: Settings, deep: bool) -> tuple[Status, str]:
    if settings.search_endpoint:
        return await _http_probe(settings.search_endpoint, await _auth(settings, settings.search_key,
                                                                         settings.search_endpoint, "api-key"))
    from shared.knowledge.base import index_path, knowledge_base
    from shared.knowledge.index import count_chunks

    chunks = await asyncio.to_thread(count_chunks, index_path(settings))
    if deep:
        hits = await knowledge_base(settings).search("return policy", top=1)
        return Status.UP, f"local hybrid index: {chunks} chunks; a test query found {len(hits)}"
    return Status.UP, f"local hybrid index: {chunks} chunks"


async def check_llm(settings: Settings, deep: bool) -> tuple[Status, str]:
    if not settings.llm_base_url:
        return Status.ABSENT, "no LLM configured (LLM_BASE_URL is empty)"
    url = settings.llm_base_url.rstrip("/") + "/models"
    return await _http_probe(url, await _auth(settings, settings.llm_api_key, settings.llm_base_url))


async def check_voice(settings: Settings, deep: bool) -> tuple[Status, str]:
    if settings.voice_engine == "realtime":
        if not settings.llm_base_url:
            return Status.DOWN, "VOICE_ENGINE=realtime needs LLM_BASE_URL"
        return Status.UP, "realtime engine configured"
    missing = [m for m in ("faster_whisper", "piper") if importlib.util.find_spec(m) is None]
    if missing:
        return Status.ABSENT, f"offline speech cascade not installed (missing {', '.join(missing)})"
    return Status.UP, "offline speech cascade installed"


async def check_web_search(settings: Settings, deep: bool) -> tuple[Status, str]:
    from shared.adapters import web_search

    data = None
    if settings.web_search_provider == "offline":
        from shared.data.access import business_data

        data = await business_data(settings)
    return await _probe_adapter(web_search(settings, data))


async def check_email(settings: Settings, deep: bool) -> tuple[Status, str]:
    from shared.adapters import email_sender

    return await _probe_adapter(email_sender(settings))


async def _probe_adapter(adapter: object) -> tuple[Status, str]:
    """The adapter's own probe; its failure named with the adapter, so /api/health says which one is down."""
    name = getattr(adapter, "name", "?")
    try:
        return Status.UP, await adapter.probe()  # type: ignore[attr-defined]
    except Exception as error:
        return Status.DOWN, f"{name}: {error or type(error).__name__}"


async def _auth(settings: Settings, key: str, endpoint: str, key_header: str = "") -> dict[str, str]:
    """The probe's credentials as the service's client sends them: the key, or the managed identity's token."""
    if uses_identity(key, endpoint):
        audience = SEARCH if key_header else COGNITIVE_SERVICES
        return {"Authorization": f"Bearer {(await identity(settings).get_token(audience)).token}"}
    return {key_header: key} if key_header else {"Authorization": f"Bearer {key}"}


async def _http_probe(url: str, headers: dict[str, str]) -> tuple[Status, str]:
    """Any answer below 500 proves the service is there; the key may still be wrong (HTTP 401)."""
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        status = Status.UP if response.status < 500 else Status.DOWN
        return status, f"HTTP {response.status} from {url.split('?', maxsplit=1)[0]}"


CHECKS: dict[str, Check] = {
    "blob": check_blob,
    "cosmos": check_cosmos,
    "search": check_search,
    "voice": check_voice,
    "llm": check_llm,
    "web_search": check_web_search,
    "email": check_email,
}


async def run_check(name: str, settings: Settings, deep: bool = False) -> DependencyReport:
    """Runs one check within the configured timeout; any failure is reported, never raised."""
    started = time.perf_counter()
    try:
        status, detail = await asyncio.wait_for(
            CHECKS[name](settings, deep), settings.dependency_timeout_seconds
        )
    except TimeoutError:
        return DependencyReport.unanswered(name, settings.dependency_timeout_seconds)
    except Exception as error:  # a check reports what failed rather than failing the probe
        status, detail = Status.DOWN, f"{type(error).__name__}: {(str(error).splitlines() or [''])[0][:200]}"
    latency = round((time.perf_counter() - started) * 1000, 1)
    return DependencyReport(name=name, status=status, detail=detail, latency_ms=latency)
