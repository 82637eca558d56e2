"""Agent definitions: YAML files with instructions as Jinja templates, tools, handoffs and intents.

Loading checks every reference: an unknown tool or handoff target fails at load time, naming the
file and the field, instead of in the middle of a call.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFINITIONS = Path(__file__).parent / "definitions"
ENTRY_AGENT = "router"
_templates = Environment(undefined=StrictUndefined, autoescape=False)


class AgentConfigError(ValueError):
    """A definition that cannot be used; the message names the file and the field."""


class Agent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_]{2,40}$")
    description: str
    voice: str = "alloy"
    greeting: str
    instructions: str
    tools: tuple[str, ...] = ()
    handoffs: tuple[str, ...] = ()
    # Offline intent recognition: example utterances per intent this agent handles.
    intents: dict[str, tuple[str, ...]] = {}

    def render(self, field: str, **facts: Any) -> str:
        """`instructions` or `greeting`, filled with the caller's profile and the company."""
        return _templates.from_string(getattr(self, field)).render(**facts).strip()


def load_agents(directory: Path, known_tools: set[str]) -> dict[str, Agent]:
    agents: dict[str, Agent] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            agent = Agent.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise AgentConfigError(f"{path.name}: {field}: {first['msg']}") from error
        except yaml.YAMLError as error:
            raise AgentConfigError(f"{path.name}: not valid YAML: {error}") from error
        for field in ("instructions", "greeting"):
            try:
                _templates.parse(getattr(agent, field))
            except TemplateSyntaxError as error:
                raise AgentConfigError(f"{path.name}: {field}: template line {error.lineno}: {error}") from error
        unknown = [t for t in agent.tools if t not in known_tools]
        if unknown:
            raise AgentConfigError(f"{path.name}: tools: unknown tool {unknown[0]!r}")
        agents[agent.name] = agent
    for agent in agents.values():
        missing = [h for h in agent.handoffs if h not in agents]
        if missing:
            raise AgentConfigError(f"{agent.name}.yaml: handoffs: unknown agent {missing[0]!r}")
    if ENTRY_AGENT not in agents:
        raise AgentConfigError(f"{directory}: no {ENTRY_AGENT}.yaml, the entry agent")
    return agents


@cache
def agents() -> dict[str, Agent]:
    """The product's agents, loaded once per process."""
    from shared.tools.runner import all_tools

    return load_agents(DEFINITIONS, set(all_tools()))
