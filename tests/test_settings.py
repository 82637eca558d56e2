"""One settings object: environment over local.settings.json, and every name in the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from media.settings import MediaSettings
from shared.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HOST_ONLY = {"FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsFeatureFlags"}


def test_the_sample_lists_every_setting_the_app_reads() -> None:
    """The function app's settings and the media container's, which share the file and a few names."""
    sample = set(json.loads((ROOT / "local.settings.sample.json").read_text())["Values"])
    read = {field.alias for field in Settings.model_fields.values()}
    media = {field.alias for field in MediaSettings.model_fields.values()}
    assert read | media == sample - HOST_ONLY


def test_environment_wins_over_the_file_and_empty_values_fall_back(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "local.settings.json"
    file.write_text(json.dumps({"Values": {"COSMOS_DATABASE": "from-file", "LLM_MODEL": "file-model",
                                           "SEARCH_ENDPOINT": ""}}))
    monkeypatch.setenv("LOCAL_SETTINGS_PATH", str(file))
    monkeypatch.setenv("COSMOS_DATABASE", "from-env")
    settings = Settings()
    assert settings.cosmos_database == "from-env"
    assert settings.llm_model == "file-model"
    assert settings.search_endpoint == ""


def test_bad_values_are_refused_with_the_setting_name() -> None:
    with pytest.raises(ValueError, match="VOICE_ENGINE"):
        Settings(VOICE_ENGINE="telepathy")
    with pytest.raises(ValueError, match="DEPENDENCY_TIMEOUT_SECONDS"):
        Settings(DEPENDENCY_TIMEOUT_SECONDS=0)


def test_mode_is_offline_only_when_every_service_is_local() -> None:
    local = {"AzureWebJobsStorage": "UseDevelopmentStorage=true", "COSMOS_ENDPOINT": "https://127.0.0.1:8081/"}
    assert Settings(**local).mode == "offline"
    assert Settings(**{**local, "COSMOS_ENDPOINT": "https://acct.documents.azure.com:443/"}).mode == "azure"
    cloud_storage = "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=eA==;EndpointSuffix=core.windows.net"
    assert Settings(**{**local, "AzureWebJobsStorage": cloud_storage}).mode == "azure"
    assert Settings(**{**local, "LLM_BASE_URL": "http://127.0.0.1:11434/v1"}).mode == "offline"
    # The web search and email adapters count too, once chosen: an address set but unused does not.
    assert Settings(**{**local, "WEB_SEARCH_PROVIDER": "brave"}).mode == "azure"
    assert Settings(**{**local, "FOUNDRY_PROJECT_ENDPOINT": "https://ai.example.net/api/projects/p"}).mode == "offline"
    acs = "endpoint=https://callcenter.communication.azure.com/;accesskey=eA=="
    assert Settings(**{**local, "EMAIL_PROVIDER": "acs", "ACS_EMAIL_CONNECTION_STRING": acs}).mode == "azure"
    assert Settings(**{**local, "SMTP_HOST": "smtp.example.com"}).mode == "azure"
    assert Settings(**{**local, "SMTP_HOST": "localhost", "SMTP_PORT": "1025"}).mode == "offline"
