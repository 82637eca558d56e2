"""The media container's settings: environment variables in Azure, local.settings.json's `Values` on a laptop
(the same file and names as the function app; the environment wins)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from shared.settings import LocalSettingsFile


class MediaSettings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, env_ignore_empty=True, extra="ignore")

    # The function app's base URL: the call's session, the tools, the transcript.
    function_app_url: str = Field("http://127.0.0.1:7071", alias="FUNCTION_APP_URL")
    service_key: str = Field("", alias="SERVICE_KEY", repr=False)
    # Opens the live transcript feed (/calls/live) for the web UI's admin pages; empty: nobody.
    media_admin_key: str = Field("", alias="MEDIA_ADMIN_KEY", repr=False)
    voice_engine: Literal["cascade", "realtime"] = Field("cascade", alias="VOICE_ENGINE")
    # openai: api.openai.com or any server of its protocol (a base URL ending in /v1); azure_openai: the GA
    # endpoint https://<resource>.openai.azure.com/openai/v1; voice_live: https://<resource>.services.ai.azure.com.
    realtime_provider: Literal["openai", "azure_openai", "voice_live"] = Field("openai", alias="REALTIME_PROVIDER")
    realtime_endpoint: str = Field("https://api.openai.com/v1", alias="REALTIME_ENDPOINT")
    realtime_api_key: str = Field("", alias="REALTIME_API_KEY", repr=False)
    realtime_model: str = Field("gpt-realtime", alias="REALTIME_MODEL")  # Azure: the deployment's name
    realtime_voice: str = Field("", alias="REALTIME_VOICE")  # empty: each agent's own voice
    realtime_api_version: str = Field("2025-10-01", alias="REALTIME_API_VERSION")  # Voice Live only
    # server_vad | semantic_vad (OpenAI, Azure OpenAI); Voice Live also azure_semantic_vad.
    realtime_turn_detection: str = Field("semantic_vad", alias="REALTIME_TURN_DETECTION")
    # The model's socket: picows (C framing, the fast path) or the openai SDK's own websockets connection.
    realtime_socket: Literal["picows", "sdk"] = Field("picows", alias="REALTIME_SOCKET")
    # On SIGTERM, how long calls in progress may go on before the server stops (the Container App grants 600 s).
    media_drain_seconds: float = Field(570.0, alias="MEDIA_DRAIN_SECONDS", ge=0)
    dependency_timeout_seconds: float = Field(5.0, alias="DEPENDENCY_TIMEOUT_SECONDS", gt=0)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, **_: PydanticBaseSettingsSource
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, LocalSettingsFile(settings_cls)
