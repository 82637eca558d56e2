"""The deployment, checked offline: Bicep read by the parser checkov uses, settings parity with the sample,
checkov over infra/ and the media Dockerfile, host.json against the schema of the fields it sets.

No Bicep compiler installs from the registries reached here (the CLI ships on NuGet and as a download
only), so these checks stand in for `bicep build`: every file parses, every module exists and gets
exactly the parameters it declares, every parameter is used.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from pycep import BicepParser

from media.settings import MediaSettings
from shared.data.cosmos import CONTAINERS, EXPIRING
from shared.settings import Settings
from tests.hosting import ROOT

INFRA = ROOT / "infra"
CHECKOV = ROOT / ".local" / "checkov-venv" / "bin" / "checkov"

# In local.settings.sample.json, not in Azure's app settings.
LOCAL_ONLY = {
    "FUNCTIONS_WORKER_RUNTIME": "Flex Consumption refuses it: the runtime is functionAppConfig.runtime",
    "AzureWebJobsFeatureFlags": "EnableWorkerIndexing is the default for the Python v2 model in Azure",
    "COSMOS_VERIFY_TLS": "only the local Cosmos stand-in serves a self-signed certificate",
    "LOCAL_DATA_DIR": "the offline index and model files; in Azure the index is Azure AI Search",
    "LOCAL_SEARCH_MIN_RELEVANCE": "the floor of the offline index's reranker; Azure AI Search has its own",
    "WEBSITE_HOSTNAME": "App Service sets it on every instance; locally the host does",
}
# In the sample, read by the media container only (media/settings.py): not the function app's.
MEDIA_ONLY = {"FUNCTION_APP_URL", "MEDIA_ADMIN_KEY", "MEDIA_DRAIN_SECONDS", "REALTIME_PROVIDER", "REALTIME_ENDPOINT",
              "REALTIME_API_KEY", "REALTIME_MODEL", "REALTIME_VOICE", "REALTIME_API_VERSION", "REALTIME_TURN_DETECTION",
              "REALTIME_SOCKET"}
# In Azure's app settings, not in the sample: read by the platform or the Azure SDKs, not by Settings.
AZURE_ONLY = {
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "Application Insights takes Entra-authenticated writes only",
}


def bicep_files() -> list[Path]:
    return sorted(INFRA.rglob("*.bicep"))


@cache
def parser() -> BicepParser:
    return BicepParser()  # builds its grammar: seconds


@cache
def parsed(path: Path) -> dict[str, Any]:
    return parser().parse(file_path=path)


def module_calls(path: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each module a file declares: the file it names and the params it passes (conditional or not)."""
    calls = {}
    for name, module in parsed(path).get("modules", {}).items():
        config = module["config"]
        while "params" not in config and "config" in config:  # `if (...)` and `[for ...]` nest the body
            config = config["config"]
        calls[name] = (path.parent / module["detail"]["path"], config.get("params", {}))
    return calls


def settings_block(path: Path, variable: str) -> str:
    """The text of `var <variable> = { ... }` (objects here nest one level at most)."""
    text = path.read_text()
    match = re.search(rf"^var {variable} = \{{\n(.*?)^\}}", text, re.MULTILINE | re.DOTALL)
    assert match, f"{path.name} declares no var {variable}"
    return match.group(1)


def setting_names(names: set[str]) -> set[str]:
    """A Functions connection given by identity is X__accountName, X__credential...: it stands for X."""
    return {name.split("__", 1)[0] for name in names}


def sample_names() -> set[str]:
    return set(json.loads((ROOT / "local.settings.sample.json").read_text())["Values"])


def function_app_settings() -> dict[str, Any]:
    return parsed(INFRA / "main.bicep")["variables"]["functionAppSettings"]["value"]


def test_every_bicep_file_parses() -> None:
    # checkov reads Bicep with this parser and skips, with no failure, a file it cannot read.
    assert len(bicep_files()) >= 10
    for path in bicep_files():
        assert parsed(path).get("resources") or parsed(path).get("modules"), path


def test_every_module_exists_is_used_and_gets_exactly_its_parameters() -> None:
    used: set[Path] = set()
    for path in bicep_files():
        for name, (target, passed) in module_calls(path).items():
            assert target.is_file(), f"{path.name}: module {name} names {target}, which does not exist"
            used.add(target.resolve())
            declared = parsed(target)["parameters"]
            required = {param for param, spec in declared.items() if spec.get("default") is None}
            assert set(passed) <= set(declared), f"{path.name}: {name} passes {set(passed) - set(declared)}"
            assert required <= set(passed), f"{path.name}: {name} lacks {required - set(passed)}"
    modules = {path.resolve() for path in (INFRA / "modules").glob("*.bicep")}
    assert modules - used == set(), "modules nobody uses"


def test_every_parameter_and_variable_is_used() -> None:
    for path in bicep_files():
        # Property names (`name: name`) are not uses: drop them, then count the declaration and the uses.
        text = re.sub(r"^(\s*)[\w']+:", r"\1", path.read_text(), flags=re.MULTILINE)
        tree = parsed(path)
        for name in [*tree.get("parameters", {}), *tree.get("variables", {})]:
            uses = len(re.findall(rf"(?<![\w.'-]){name}\b", text))
            assert uses >= 2, f"{path.name}: {name} is declared and never used"


def test_app_settings_use_exactly_the_names_of_the_sample() -> None:
    in_azure = set(function_app_settings())
    expected = setting_names(sample_names()) - set(LOCAL_ONLY) - MEDIA_ONLY
    assert setting_names(in_azure) - set(AZURE_ONLY) == expected, (
        f"only in Bicep: {setting_names(in_azure) - set(AZURE_ONLY) - expected}; "
        f"only in the sample: {expected - setting_names(in_azure)}")
    assert set(LOCAL_ONLY) <= sample_names(), "a local-only setting the sample no longer has"
    assert not set(AZURE_ONLY) & sample_names(), "an Azure-only setting that is in the sample after all"


def test_the_media_container_reads_only_names_of_the_sample() -> None:
    media = module_calls(INFRA / "main.bicep")["media"][1]
    names = set(media["settings"]) | set(media["secretSettings"])
    assert names - set(AZURE_ONLY) <= sample_names() - set(LOCAL_ONLY), names - sample_names() - set(AZURE_ONLY)
    assert "SERVICE_KEY" in media["secretSettings"]
    assert sample_names() >= MEDIA_ONLY
    read = {field.alias for field in MediaSettings.model_fields.values()}
    assert read <= sample_names(), f"media settings missing from the sample: {read - sample_names()}"


def test_literal_settings_are_values_the_settings_object_accepts() -> None:
    literals = dict(re.findall(r"^\s+(\w+): '([^'$]*)'$", settings_block(INFRA / "main.bicep", "functionAppSettings"),
                               re.MULTILINE))
    assert {"SESSION_MAX_SECONDS", "EMBEDDING_DIMENSIONS", "COSMOS_KEY"} <= set(literals)
    settings = Settings(**{name: value for name, value in literals.items() if name in sample_names()})
    assert settings.cosmos_key == "" and settings.search_key == ""  # keyless: the identity opens them
    assert settings.embedding_dimensions == 1024


def test_secrets_are_key_vault_references_and_service_keys_are_empty() -> None:
    block = settings_block(INFRA / "main.bicep", "functionAppSettings")
    assert re.search(r"^\s+SERVICE_KEY: '\$\{secretRef\}service-key\)'$", block, re.MULTILINE)
    for name in ("COSMOS_KEY", "SEARCH_KEY", "EMBEDDING_API_KEY", "LLM_API_KEY"):
        assert re.search(rf"^\s+{name}: ''$", block, re.MULTILINE), name


# Keys off wherever the service lets Entra ID in instead: (resource type, property, value).
KEYLESS = [
    ("Microsoft.Storage/storageAccounts", "allowSharedKeyAccess", False),
    ("Microsoft.DocumentDB/databaseAccounts", "disableLocalAuth", True),
    ("Microsoft.Search/searchServices", "disableLocalAuth", True),
    ("Microsoft.CognitiveServices/accounts", "disableLocalAuth", True),
    ("Microsoft.Insights/components", "DisableLocalAuth", True),
    ("Microsoft.ContainerRegistry/registries", "adminUserEnabled", False),
    ("Microsoft.KeyVault/vaults", "enableRbacAuthorization", True),
]
# Behind private endpoints when zeroTrust is set.
PRIVATE = {"Microsoft.Storage/storageAccounts", "Microsoft.DocumentDB/databaseAccounts",
           "Microsoft.Search/searchServices", "Microsoft.KeyVault/vaults"}


def declared_resources() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, resource) for path in bicep_files() for resource in parsed(path).get("resources", {}).values()
            if not resource["existing"]]


def test_every_service_that_takes_entra_id_has_its_keys_off() -> None:
    for kind, field, value in KEYLESS:
        found = [(path, resource) for path, resource in declared_resources() if resource["type"] == kind]
        assert found, kind
        for path, resource in found:
            assert resource["config"]["properties"].get(field) is value, f"{path.name}: {kind}.{field}"


def test_zero_trust_closes_public_access_and_opens_private_endpoints() -> None:
    for path, resource in declared_resources():
        if resource["type"] in PRIVATE:
            access = resource["config"]["properties"]["publicNetworkAccess"]["operator"]["operands"]
            assert access["condition"] == "zeroTrust" and access["true_value"].lower() == "disabled", path.name
            endpoints = [module for name, module in parsed(path)["modules"].items()
                         if module["detail"]["path"] == "private-endpoint.bicep"]
            assert endpoints and all(module["config"]["condition"] == "zeroTrust" for module in endpoints), path.name


def test_cosmos_containers_are_the_apps_with_its_partition_keys() -> None:
    # Under data-plane RBAC the app cannot create containers: Bicep must declare every one it uses.
    declared = parsed(INFRA / "modules" / "cosmos.bicep")["variables"]["containers"]["value"]
    assert {item["name"]: item["partitionKey"] for item in declared} == CONTAINERS
    assert {item["name"] for item in declared if item["ttl"] is True} == EXPIRING


@cache
def app_functions() -> list[dict[str, Any]]:
    """The app's functions and bindings, listed in a process of their own: the app lists them once a process."""
    script = ("import json, function_app; print(json.dumps([{'name': f.get_function_name(), "
              "'bindings': json.loads(f.get_function_json())['bindings']} for f in function_app.app.get_functions()]))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


def test_event_subscriptions_name_the_apps_event_triggers() -> None:
    defaults = parsed(INFRA / "main.bicep")["parameters"]
    blob_triggers = [(function["name"], binding["path"]) for function in app_functions()
                     for binding in function["bindings"]
                     if binding["type"] == "blobTrigger" and binding.get("source") == "EventGrid"]
    assert [name for name, _ in blob_triggers] == [defaults["blobFunction"]["default"]]
    container = blob_triggers[0][1].split("/")[0]
    assert f"/containers/{container}/'" in (INFRA / "modules" / "events.bicep").read_text()
    event_grid = [function["name"] for function in app_functions()
                  if any(binding["type"] == "eventGridTrigger" for binding in function["bindings"])]
    assert event_grid == [name for name in [defaults["incomingCallFunction"]["default"]] if name]


def test_azd_configuration_points_at_what_exists() -> None:
    azure = yaml.safe_load((ROOT / "azure.yaml").read_text())
    assert (ROOT / azure["infra"]["path"] / f"{azure['infra']['module']}.bicep").is_file()
    tagged = set(re.findall(r"'azd-service-name': '([\w-]+)'", "".join(p.read_text() for p in bicep_files())))
    assert set(azure["services"]) == tagged
    assert (ROOT / azure["services"]["media"]["project"] / azure["services"]["media"]["docker"]["path"]).is_file()
    for hook in azure["hooks"].values():
        script = ROOT / hook["run"]
        assert script.is_file() and os.access(script, os.X_OK), script
    parameters = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    assert set(parameters) <= set(parsed(INFRA / "main.bicep")["parameters"])


def checkov(*args: str) -> dict[str, Any]:
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: `make test` installs checkov in its own venv")
    # --skip-download: no guideline look-ups over the network.
    done = subprocess.run([str(CHECKOV), *args, "--skip-download", "--output", "json", "--compact"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)


def failures(report: dict[str, Any]) -> list[str]:
    return [f"{item['check_id']} {item['file_path']}:{item['resource']}" for item in report["results"]["failed_checks"]]


def test_checkov_passes_over_infra_with_every_suppression_justified() -> None:
    report = checkov("--directory", "infra", "--framework", "bicep")
    assert report["summary"]["parsing_errors"] == 0
    assert failures(report) == []
    for path in bicep_files():
        for line in path.read_text().splitlines():
            if "checkov:skip" in line:
                assert re.fullmatch(r"\s*// checkov:skip=CKV2?_AZURE_\d+:\S.{30,}", line), f"{path.name}: {line}"


def test_checkov_passes_over_the_media_dockerfile() -> None:
    report = checkov("--file", "media/Dockerfile", "--framework", "dockerfile")
    assert report["summary"]["passed"] > 0
    assert failures(report) == []


# The fields host.json sets, as the Functions host reads them (host.json reference for v4; schema trimmed to them).
HOST_SCHEMA = {
    "type": "object",
    "required": ["version", "extensionBundle"],
    "properties": {
        "version": {"const": "2.0"},
        "functionTimeout": {"type": "string", "pattern": r"^(-1|\d{2}:[0-5]\d:[0-5]\d)$"},
        "logging": {"type": "object", "properties": {"logLevel": {
            "type": "object", "additionalProperties": {
                "enum": ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"]}}}},
        "extensionBundle": {
            "type": "object", "required": ["id", "version"], "additionalProperties": False,
            "properties": {"id": {"const": "Microsoft.Azure.Functions.ExtensionBundle"},
                           # Python v2 and Durable Functions need bundle 4.x; Flex Consumption too.
                           "version": {"type": "string", "pattern": r"^\[4\.[\d*]*(, ?5\.0\.0\))?$"}}},
        "extensions": {"type": "object", "properties": {
            "http": {"type": "object", "required": ["routePrefix"],
                     "properties": {"routePrefix": {"type": "string"}}},
            "durableTask": {"type": "object", "properties": {
                # Task hub names: letters and digits, starting with a letter, 3 to 50 characters.
                "hubName": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9]{2,49}$"},
                "maxConcurrentActivityFunctions": {"type": "integer", "minimum": 1},
                "maxConcurrentOrchestratorFunctions": {"type": "integer", "minimum": 1}}}}},
    },
}


def test_host_json_matches_the_schema_of_its_fields() -> None:
    validator = jsonschema_rs.validator_for(HOST_SCHEMA)
    errors = [error.message for error in validator.iter_errors(json.loads((ROOT / "host.json").read_text()))]
    assert errors == []
    broken = {"version": "2.0", "extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle",
                                                    "version": "[3.*, 4.0.0)"},
              "extensions": {"durableTask": {"hubName": "call-center"}}}
    assert len(list(validator.iter_errors(broken))) == 2


def test_the_cost_model_prints_both_engines_against_the_peer_figure() -> None:
    from bench import cost

    text = cost.main(["--calls-per-day", "1000", "--minutes", "10"])
    assert "300,000 call minutes a month" in text
    per_minute = dict(re.findall(r"^(realtime|cascade): ([\d.]+) USD per call minute", text, re.MULTILINE))
    assert set(per_minute) == {"realtime", "cascade"} and all(float(value) > 0 for value in per_minute.values())
    # Fixed costs (search, the always-on media replica) spread over more minutes: a minute gets cheaper.
    busier = cost.main(["--calls-per-day", "5000", "--minutes", "10"])
    assert float(re.search(r"^cascade: ([\d.]+)", busier, re.MULTILINE).group(1)) < float(per_minute["cascade"])


def test_a_cached_prompt_bills_only_what_came_since() -> None:
    from bench.cost import billed

    assert billed([100, 150, 200], cache_hit=0) == (450, 0)
    assert billed([100, 150, 200], cache_hit=1) == (200, 250)  # 100 + 50 + 50 new, 100 + 150 cached


def test_the_media_image_serves_what_the_container_app_expects() -> None:
    dockerfile = (ROOT / "media" / "Dockerfile").read_text()
    media = (INFRA / "modules" / "media.bicep").read_text()
    port = re.search(r"^var port = (\d+)$", media, re.MULTILINE).group(1)
    assert re.search(rf"^EXPOSE {port}$", dockerfile, re.MULTILINE)
    assert f'"--port", "{port}"' in dockerfile and '"media.server"' in dockerfile
    assert "path: '/health'" in media and f"127.0.0.1:{port}/health" in dockerfile
    assert re.search(r"^USER (?!0\b|root\b)\S+$", dockerfile, re.MULTILINE)
    # uvicorn drains calls for less than the grace period the Container App gives a replica.
    drain = int(re.search(r'"--graceful-seconds", "(\d+)"', dockerfile).group(1))
    assert drain < int(re.search(r"terminationGracePeriodSeconds: (\d+)", media).group(1))
