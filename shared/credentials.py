"""How the app proves itself to each Azure service: the key when one is set, else its managed identity.

The template turns keys off (Cosmos DB local auth, Search API keys, Azure OpenAI keys, storage shared
keys) and gives the app one user-assigned identity with data-plane roles, so an empty key on a remote
endpoint means Entra ID. A loopback endpoint with no key is a local stand-in, which takes any key.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from shared.settings import LOOPBACK_HOSTS, Settings

if TYPE_CHECKING:
    from azure.core.credentials import AzureKeyCredential
    from azure.core.credentials_async import AsyncTokenCredential
    from openai import AsyncOpenAI

# Azure OpenAI and AI Services take tokens of this audience.
COGNITIVE_SERVICES = "https://cognitiveservices.azure.com/.default"
SEARCH = "https://search.azure.com/.default"


def uses_identity(key: str, endpoint: str) -> bool:
    return not key and bool(endpoint) and urlparse(endpoint).hostname not in LOOPBACK_HOSTS


@cache
def managed_identity(client_id: str = "") -> AsyncTokenCredential:
    """One credential per process: it caches its tokens (a new one per call would fetch a token each time)."""
    from azure.identity.aio import DefaultAzureCredential

    return DefaultAzureCredential(managed_identity_client_id=client_id or None)


def identity(settings: Settings) -> AsyncTokenCredential:
    return managed_identity(settings.azure_client_id)


def cosmos_credential(settings: Settings) -> str | AsyncTokenCredential:
    return identity(settings) if uses_identity(settings.cosmos_key, settings.cosmos_endpoint) else settings.cosmos_key


def search_credential(settings: Settings) -> AzureKeyCredential | AsyncTokenCredential:
    from azure.core.credentials import AzureKeyCredential

    if uses_identity(settings.search_key, settings.search_endpoint):
        return identity(settings)
    return AzureKeyCredential(settings.search_key)


def openai_client(settings: Settings, base_url: str, key: str, **options: Any) -> AsyncOpenAI:
    """An OpenAI-compatible client; on Azure OpenAI without a key, Entra tokens as bearer (the v1 API takes them)."""
    from openai import AsyncOpenAI

    api_key: Any = key or "none"  # local servers (Ollama, llama.cpp, the scripted model) take any key
    if uses_identity(key, base_url):
        from azure.identity.aio import get_bearer_token_provider

        api_key = get_bearer_token_provider(identity(settings), COGNITIVE_SERVICES)
    return AsyncOpenAI(base_url=base_url, api_key=api_key, **options)

