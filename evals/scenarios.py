"""Scenarios as YAML: who calls, what they say turn by turn, what each turn must do, and what the data must
look like afterwards. One file per theme under `scenarios/dev` (tuned on), `scenarios/test` (held out, seen once) and
`scenarios/holdout` (held out, written later and never run while tuning) and `scenarios/fresh` (the service tools:
written before the brain understood them, run once clean, never tuned on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

SCENARIOS = Path(__file__).parent / "scenarios"
SPLITS = ("dev", "test", "holdout", "fresh")


class Expected(BaseModel):
    """One caller turn and what it must lead to; an omitted check is not scored."""

    model_config = ConfigDict(extra="forbid")
    say: str
    tools: list[str] = Field(default_factory=list)  # the tools called, besides handoffs and catalog look-ups
    args: dict[str, dict[str, Any]] = Field(default_factory=dict)  # per tool: fields its last call must carry
    says: list[str] = Field(default_factory=list)  # each must be in the reply (case-insensitive)
    not_says: list[str] = Field(default_factory=list)
    agent: str | None = None  # the agent speaking after the turn
    refusal: bool = False  # an explicit refusal that says why
    dont_know: bool = False  # "I don't know" rather than a guess


class Effect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class EndState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: dict[str, str] | None = None  # the caller's address afterwards (unchanged unless stated)
    stock: dict[str, int] = Field(default_factory=dict)
    outbox: int = 0
    transfers: int = 0
    orders: dict[str, str] = Field(default_factory=dict)  # order id -> status afterwards (unchanged unless stated)
    contact: dict[str, str] = Field(default_factory=dict)  # the caller's email and phone afterwards
    cases: list[dict[str, str]] = Field(default_factory=list)  # every case opened, by fields it must carry


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    caller: str  # a customer id of the world
    about: str = ""
    turns: list[Expected] = Field(min_length=1)
    effects: list[Effect] = Field(default_factory=list)  # every side effect that must be carried out, in order
    end: EndState = Field(default_factory=EndState)
    split: str = "dev"


def load(splits: tuple[str, ...] = SPLITS) -> list[Scenario]:
    found: list[Scenario] = []
    for split in splits:
        for path in sorted((SCENARIOS / split).glob("*.yaml")):
            raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
            found += [Scenario.model_validate({**s, "split": split}) for s in raw]
    ids = [s.id for s in found]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"scenario ids used twice: {sorted(duplicated)}")
    return found
