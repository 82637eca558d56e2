"""Agent definitions: every reference checked at load time, naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.agents.definitions import DEFINITIONS, AgentConfigError, agents, load_agents
from shared.tools.runner import all_tools


def test_the_products_agents_load_and_reference_real_tools() -> None:
    loaded = agents()
    assert set(loaded) == {"router", "customer_data", "knowledge_base", "web_search", "executive_assistant"}
    assert all(set(agent.handoffs) <= set(loaded) for agent in loaded.values())
    greeting = loaded["router"].render("greeting", company="Contoso", customer={"first_name": "Ada"})
    assert greeting == "Thank you for calling Contoso. Hello Ada, how can I help you today?"


def write(directory: Path, **files: str) -> Path:
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(text)
    return directory


ROUTER = "name: router\ndescription: d\ngreeting: hi\ninstructions: be brief\nhandoffs: [{target}]\ntools: [{tool}]\n"


@pytest.mark.parametrize(("router", "message"), [
    (ROUTER.format(target="router", tool="teleport"), "router.yaml: tools: unknown tool 'teleport'"),
    (ROUTER.format(target="billing", tool="end_call"), "router.yaml: handoffs: unknown agent 'billing'"),
    (ROUTER.format(target="router", tool="end_call") + "colour: red\n", "router.yaml: colour: Extra inputs"),
    (ROUTER.format(target="router", tool="end_call").replace("be brief", "'{{ customer.name'"),
     "router.yaml: instructions: template"),
])
def test_a_broken_definition_fails_at_load_naming_file_and_field(tmp_path: Path, router: str, message: str) -> None:
    with pytest.raises(AgentConfigError, match=message.replace("'", ".")):
        load_agents(write(tmp_path, router=router), set(all_tools()))


def test_the_definitions_folder_holds_only_agents() -> None:
    assert sorted(p.stem for p in DEFINITIONS.glob("*.yaml")) == sorted(agents())
