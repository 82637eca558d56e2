"""The app's settings: one object, built once, from the environment and local.settings.json.

Azure App Settings arrive as environment variables; on a laptop the same names sit in the
`Values` section of `local.settings.json` (what `func start` reads). The environment wins.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class LocalSettingsFile(PydanticBaseSettingsSource):
    """Reads the `Values` of local.settings.json (path from LOCAL_SETTINGS_PATH, else ./)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = Path(os.environ.get("LOCAL_SETTINGS_PATH", "local.settings.json"))
        self._values: dict[str, Any] = {}
        if path.is_file():
            self._values = json.loads(path.read_text(encoding="utf-8")).get("Values", {})

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        for name in _aliases(field, field_name):
            if name in self._values and self._values[name] != "":
                return self._values[name], name, False
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            value, _, _ = self.get_field_value(field, name)
            if value is not None:
                found[name] = value
        return found


def _aliases(field: FieldInfo, field_name: str) -> list[str]:
    if isinstance(field.validation_alias, AliasChoices):
        return [str(choice) for choice in field.validation_alias.choices]
    return [str(field.validation_alias or field.alias or field_name)]


class Settings(BaseSettings):
    """Every setting the app reads. local.settings.sample.json lists the same names."""

    model_config = SettingsConfigDict(populate_by_name=True, env_ignore_empty=True, extra="ignore")

    storage_connection: str = Field(DEVELOPMENT_STORAGE, alias="AzureWebJobsStorage")
    # Set in Azure instead of a connection string: the account reached with the managed identity.
    storage_account: str = Field("", alias="AzureWebJobsStorage__accountName")
    # The user-assigned identity the app authenticates as wherever a key is empty (shared/credentials.py).
    azure_client_id: str = Field("", alias="AZURE_CLIENT_ID")
    cosmos_endpoint: str = Field("https://127.0.0.1:8081/", alias="COSMOS_ENDPOINT")
    cosmos_key: str = Field("", alias="COSMOS_KEY", repr=False)
    # The local Cosmos stand-in serves an expired self-signed certificate.
    cosmos_verify_tls: bool = Field(True, alias="COSMOS_VERIFY_TLS")
    cosmos_database: str = Field("callcenter", alias="COSMOS_DATABASE")
    search_endpoint: str = Field("", alias="SEARCH_ENDPOINT")
    search_key: str = Field("", alias="SEARCH_KEY", repr=False)
    # Hits below this relevance ground no answer. Azure AI Search: the semantic ranker's score / 4;
    # 0.5 (a ranker score of 2, "somewhat relevant" in its documentation) until measured on real content.
    search_min_relevance: float = Field(0.5, alias="SEARCH_MIN_RELEVANCE", ge=0, le=1)
    local_data_dir: Path = Field(Path(".local/data"), alias="LOCAL_DATA_DIR")
    # The same floor for the local index's reranker, calibrated on the hard set's dev split
    # (`bench/retrieval.py --fit`) with the offline MiniLM embeddings.
    local_search_min_relevance: float = Field(0.29, alias="LOCAL_SEARCH_MIN_RELEVANCE", ge=0, le=1)
    # Empty: the offline MiniLM model. Else an OpenAI-compatible endpoint (Azure OpenAI: .../openai/v1/).
    embedding_base_url: str = Field("", alias="EMBEDDING_BASE_URL")
    embedding_api_key: str = Field("", alias="EMBEDDING_API_KEY", repr=False)
    embedding_model: str = Field("text-embedding-3-large", alias="EMBEDDING_MODEL")
    embedding_dimensions: int = Field(1024, alias="EMBEDDING_DIMENSIONS", ge=64, le=3072)
    search_index: str = Field("knowledge", alias="SEARCH_INDEX")
    max_document_bytes: int = Field(20 * 1024 * 1024, alias="MAX_DOCUMENT_BYTES", gt=0)
    # Web search: `offline` ranks the company's own public pages; `bing_agent` asks an Azure AI Foundry agent
    # that has the Grounding with Bing Search tool; `brave` calls the Brave Web Search API.
    web_search_provider: Literal["offline", "bing_agent", "brave"] = Field("offline", alias="WEB_SEARCH_PROVIDER")
    foundry_project_endpoint: str = Field("", alias="FOUNDRY_PROJECT_ENDPOINT")
    bing_agent_id: str = Field("", alias="BING_AGENT_ID")
    brave_search_url: str = Field("https://api.search.brave.com/res/v1/web/search", alias="BRAVE_SEARCH_URL")
    brave_search_key: str = Field("", alias="BRAVE_SEARCH_KEY", repr=False)
    # Email: `smtp` (offline: the local stack's SMTP server), `acs` (Azure Communication Services Email),
    # `workflow` (an HTTP-triggered Logic Apps workflow that sends it).
    email_provider: Literal["smtp", "acs", "workflow"] = Field("smtp", alias="EMAIL_PROVIDER")
    email_sender: str = Field("agents@callcenter.example", alias="EMAIL_SENDER")
    smtp_host: str = Field("127.0.0.1", alias="SMTP_HOST")
    smtp_port: int = Field(2525, alias="SMTP_PORT", gt=0, lt=65536)
    smtp_username: str = Field("", alias="SMTP_USERNAME")
    smtp_password: str = Field("", alias="SMTP_PASSWORD", repr=False)
    # STARTTLS before logging in; a password is never sent in clear to a host off this machine.
    smtp_starttls: bool = Field(False, alias="SMTP_STARTTLS")
    acs_email_connection_string: str = Field("", alias="ACS_EMAIL_CONNECTION_STRING", repr=False)
    email_workflow_url: str = Field("", alias="EMAIL_WORKFLOW_URL", repr=False)
    llm_base_url: str = Field("", alias="LLM_BASE_URL")
    llm_api_key: str = Field("", alias="LLM_API_KEY", repr=False)
    llm_model: str = Field("", alias="LLM_MODEL")
    voice_engine: Literal["cascade", "realtime"] = Field("cascade", alias="VOICE_ENGINE")
    # Where each conversation's trace goes (shared/telemetry.py): nowhere, the console, an OTLP/HTTP collector
    # (Jaeger, the OpenTelemetry Collector, Aspire's dashboard) or Application Insights.
    telemetry_exporter: Literal["none", "console", "otlp", "azure_monitor"] = Field("none",
                                                                                     alias="TELEMETRY_EXPORTER")
    otlp_endpoint: str = Field("http://127.0.0.1:4318", alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    applicationinsights_connection_string: str = Field("", alias="APPLICATIONINSIGHTS_CONNECTION_STRING",
                                                       repr=False)
    dependency_timeout_seconds: float = Field(5.0, alias="DEPENDENCY_TIMEOUT_SECONDS", gt=0)
    # Held by the media container and the web backend (never a browser): opens sessions, tools and chat.
    # Empty: those routes refuse everyone.
    service_key: str = Field("", alias="SERVICE_KEY", repr=False)
    # A session's absolute lifetime, and how long it may go unused before it expires.
    session_max_seconds: int = Field(4 * 3600, alias="SESSION_MAX_SECONDS", gt=0)
    session_idle_seconds: int = Field(15 * 60, alias="SESSION_IDLE_SECONDS", gt=0)
    # How long a read-back waits for the caller's yes, and how many wrong answers verification allows.
    proposal_seconds: int = Field(5 * 60, alias="PROPOSAL_SECONDS", gt=0)
    verification_attempts: int = Field(3, alias="VERIFICATION_ATTEMPTS", ge=1, le=10)
    # The order policy the tools enforce: an order can be cancelled this long after purchase while not shipped
    # (the FAQ says one hour), and a delivered item returned this many days after delivery.
    cancel_window_minutes: int = Field(60, alias="CANCEL_WINDOW_MINUTES", ge=0, le=60 * 24 * 30)
    return_window_days: int = Field(30, alias="RETURN_WINDOW_DAYS", ge=0, le=365)
    # Azure Communication Services: "endpoint=https://...;accesskey=..." (offline: the local simulator).
    acs_connection_string: str = Field("", alias="ACS_CONNECTION_STRING", repr=False)
    # "true", "false", or a CA file to trust (the local simulator's self-signed certificate).
    acs_verify_tls: str = Field("true", alias="ACS_VERIFY_TLS")
    # Where ACS sends callbacks; empty: https://WEBSITE_HOSTNAME (http on loopback), as App Service sets it.
    public_base_url: str = Field("", alias="PUBLIC_BASE_URL")
    website_hostname: str = Field("", alias="WEBSITE_HOSTNAME")
    # The media container's WebSocket base (wss://...), to which ACS streams each call's audio.
    media_base_url: str = Field("ws://127.0.0.1:8765", alias="MEDIA_BASE_URL")
    # Signs the per-call tokens in callback and media URLs.
    call_token_key: str = Field("", alias="CALL_TOKEN_KEY", repr=False)
    call_connect_seconds: int = Field(20, alias="CALL_CONNECT_SECONDS", gt=0)
    # After end_call the media path plays the goodbye and ends the session; a call still up this long
    # after end_call is hung up all the same.
    call_farewell_seconds: int = Field(15, alias="CALL_FAREWELL_SECONDS", gt=0)
    # Where transfer_to_human sends the caller (E.164); empty: transfers are refused with a reason.
    human_agent_phone: str = Field("", alias="HUMAN_AGENT_PHONE")

    @property
    def callback_base_url(self) -> str:
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        host = self.website_hostname
        scheme = "http" if urlparse(f"//{host}").hostname in LOOPBACK_HOSTS else "https"
        return f"{scheme}://{host}"

    @property
    def _web_search_url(self) -> str:
        return {"offline": "", "bing_agent": self.foundry_project_endpoint,
                "brave": self.brave_search_url}[self.web_search_provider]

    @property
    def _email_url(self) -> str:
        if self.email_provider == "acs":
            return self.acs_email_connection_string.removeprefix("endpoint=").split(";")[0]
        return self.email_workflow_url if self.email_provider == "workflow" else f"smtp://{self.smtp_host}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, LocalSettingsFile(settings_cls)

    @property
    def mode(self) -> Literal["offline", "azure"]:
        """Offline when every service the app uses is a local stand-in."""
        remote = [
            url
            for url in (self.cosmos_endpoint, self.search_endpoint, self.llm_base_url, self._web_search_url,
                        self._email_url)
            if url and urlparse(url).hostname not in LOOPBACK_HOSTS
        ]
        storage_is_local = not self.storage_account and (self.storage_connection == DEVELOPMENT_STORAGE or any(
            f"//{host}" in self.storage_connection for host in ("127.0.0.1", "localhost")))
        return "offline" if storage_is_local and not remote else "azure"


@cache
def get_settings() -> Settings:
    """The process's settings, built on first use (never at import: imports stay fast)."""
    return Settings()
