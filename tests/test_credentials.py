"""Keys where they are set, the managed identity where the template turned keys off."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from shared import credentials
from shared.blobs import blob_service
from shared.settings import Settings

AZURE_OPENAI = "https://contoso.openai.azure.com/openai/v1/"


class StaticToken:
    """Stands in for Entra ID, which cannot be reached here: hands out one token and records the audience."""

    def __init__(self) -> None:
        self.audiences: list[str] = []

    async def get_token(self, *scopes: str, **_: Any) -> SimpleNamespace:
        self.audiences.extend(scopes)
        return SimpleNamespace(token="entra-token", expires_on=2**40)

    async def close(self) -> None:
        pass


@pytest.fixture
def entra(monkeypatch: pytest.MonkeyPatch) -> StaticToken:
    token = StaticToken()
    monkeypatch.setattr(credentials, "identity", lambda settings: token)
    return token


@pytest.mark.parametrize(("key", "endpoint", "expected"), [
    ("", "https://contoso.documents.azure.com:443/", True),
    ("a-key", "https://contoso.documents.azure.com:443/", False),
    ("", "https://127.0.0.1:8081/", False),  # a stand-in takes any key
    ("", "http://localhost:11434/v1", False),
    ("", "", False),  # not configured at all
])
def test_identity_is_used_only_for_a_remote_endpoint_without_a_key(key: str, endpoint: str, expected: bool) -> None:
    assert credentials.uses_identity(key, endpoint) is expected


async def test_azure_openai_without_a_key_is_called_with_the_identity_s_bearer_token(entra: StaticToken) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json={"object": "list", "data": []})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = credentials.openai_client(Settings(), AZURE_OPENAI, "", http_client=http, max_retries=0)
        await client.models.list()
    assert seen == ["Bearer entra-token"]
    assert entra.audiences == [credentials.COGNITIVE_SERVICES]


async def test_a_key_is_sent_as_it_is_and_no_token_is_asked_for(entra: StaticToken) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json={"object": "list", "data": []})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        await credentials.openai_client(Settings(), AZURE_OPENAI, "sk-test", http_client=http).models.list()
    assert seen == ["Bearer sk-test"] and entra.audiences == []


def test_cosmos_and_search_take_the_identity_when_their_keys_are_empty(entra: StaticToken) -> None:
    remote = Settings(COSMOS_ENDPOINT="https://contoso.documents.azure.com:443/", COSMOS_KEY="",
                      SEARCH_ENDPOINT="https://contoso.search.windows.net", SEARCH_KEY="")
    assert credentials.cosmos_credential(remote) is entra
    assert credentials.search_credential(remote) is entra
    keyed = Settings(COSMOS_ENDPOINT="https://contoso.documents.azure.com:443/", COSMOS_KEY="k",
                     SEARCH_ENDPOINT="https://contoso.search.windows.net", SEARCH_KEY="s")
    assert credentials.cosmos_credential(keyed) == "k"
    assert credentials.search_credential(keyed).key == "s"


def test_storage_by_account_name_is_reached_with_the_identity(monkeypatch: pytest.MonkeyPatch,
                                                              entra: StaticToken) -> None:
    monkeypatch.setattr("shared.blobs.identity", lambda settings: entra)
    settings = Settings(**{"AzureWebJobsStorage__accountName": "contosodata"})
    service = blob_service(settings)
    assert service.url == "https://contosodata.blob.core.windows.net/"
    assert service.credential is entra
    assert settings.mode == "azure"
    assert Settings().mode == "offline" and blob_service(Settings()).credential.account_name == "devstoreaccount1"
