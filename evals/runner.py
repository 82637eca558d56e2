"""Runs scenarios through the conversation runtime with a brain and scores every turn.

In process: the real runtime, agents and brain; the tools answered by `WorldTools` under the tool
layer's rules. Scores: task success, tool precision/recall and exact-turn accuracy, argument accuracy,
refusals, "I don't know", handoffs, side effects carried out wrongly or missed, raw error text in
replies, turn latency.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from evals.scenarios import Scenario
from evals.world import Knowledge, World, WorldTools
from shared.agents.definitions import agents
from shared.conversation.runtime import APOLOGY, Brain, Conversation
from shared.conversation.state import ConversationState

IGNORED = {"handoff"}  # how the brain reaches a specialist is scored by `agent`, not as a tool
LOOKUPS = {"list_products", "get_product", "summarize_conversation"}  # each scored only where a turn names it
REFUSAL = re.compile(r"\b(i can only|i can ?not|i can't|i'm not able|i am not able|i won't|not allowed)\b", re.I)
DONT_KNOW = re.compile(r"\bi (don't|do not) know\b", re.I)
RAW = re.compile(r"invalid arguments|\bfailed \(|traceback|\bprod-\d+|\bcust-[a-z0-9]+|confirmation_required|"
                 r"\{|\bNone\b", re.I)


class MemoryStore:
    async def save(self, state: ConversationState, etag: str | None) -> str:
        return str(int(etag or 0) + 1)


@dataclass
class TurnScore:
    said: str
    expected: list[str]
    called: list[str]
    args_right: int
    args_total: int
    checks_failed: list[str]
    latency_ms: float


@dataclass
class ScenarioScore:
    scenario: Scenario
    turns: list[TurnScore] = field(default_factory=list)
    effects_done: int = 0
    effects_wrong: int = 0
    effects_missed: int = 0
    end_failed: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return (not self.end_failed and not self.effects_wrong and not self.effects_missed
                and all(not t.checks_failed for t in self.turns))


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, str) and isinstance(actual, str):
        return " ".join(actual.lower().split()) == " ".join(wanted.lower().split())
    return actual == wanted


def _subset(actual: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(_same(actual.get(k), v) for k, v in wanted.items())


def significant(names: list[str], expected: list[str]) -> list[str]:
    return [n for n in names if n not in IGNORED and (n not in LOOKUPS or n in expected)]


def score_turn(expected: Any, said: str, calls: list[Any], agent: str, latency_ms: float) -> TurnScore:
    called = significant([c.name for c in calls], expected.tools)
    failed: list[str] = []
    if Counter(called) != Counter(expected.tools):
        failed.append(f"tools {called} != {expected.tools}")
    right = total = 0
    for tool, wanted in expected.args.items():
        last = next((c for c in reversed(calls) if c.name == tool), None)
        for key, value in wanted.items():
            total += 1
            got = None if last is None else last.arguments.get(key)
            if _same(got, value):
                right += 1
            else:
                failed.append(f"{tool}.{key} = {got!r}, wanted {value!r}")
    low = said.lower()
    failed += [f"reply lacks {s!r}" for s in expected.says if s.lower() not in low]
    failed += [f"reply has {s!r}" for s in expected.not_says if s.lower() in low]
    if expected.agent and agent != expected.agent:
        failed.append(f"agent {agent} != {expected.agent}")
    if expected.refusal and not REFUSAL.search(said):
        failed.append("no explicit refusal")
    if expected.dont_know and not DONT_KNOW.search(said):
        failed.append("no \"I don't know\"")
    if RAW.search(said):
        failed.append(f"raw text in reply: {RAW.search(said).group(0)!r}")
    if APOLOGY in said:  # the brain raised: whatever it got right before, the caller heard an apology
        failed.append("the brain failed")
    return TurnScore(said, expected.tools, called, right, total, failed, latency_ms)


def score_end(scenario: Scenario, before: World, effects: list[tuple[str, dict[str, Any]]], world: World,
              result: ScenarioScore) -> None:
    """The side effects carried out against those the scenario wants, and the data afterwards."""
    wanted = list(scenario.effects)
    for tool, arguments in effects:
        match = next((w for w in wanted if w.tool == tool and _subset(arguments, w.args)), None)
        if match is None:
            result.effects_wrong += 1
            result.end_failed.append(f"unexpected {tool} {arguments}")
        else:
            wanted.remove(match)
    result.effects_done = len(effects)
    result.effects_missed = len(wanted)
    result.end_failed += [f"not carried out: {w.tool} {w.args}" for w in wanted]
    result.end_failed += end_state_failures(scenario, before, world)


def end_state_failures(scenario: Scenario, before: World, world: World) -> list[str]:
    """How the data afterwards differs from what the scenario says it must be (unchanged unless it says)."""
    end, me, failed = scenario.end, world.customers[scenario.caller], []
    was = before.customers[scenario.caller]
    if not _subset(me["address"], end.address or was["address"]):
        failed.append(f"address {me['address']} != {end.address or was['address']}")
    for name, value in ({k: was[k] for k in ("email", "phone")} | end.contact).items():
        if me[name] != value:
            failed.append(f"{name} {me[name]} != {value}")
    failed += [f"customer {other} changed" for other, customer in world.customers.items()
               if other != scenario.caller and customer != before.customers[other]]
    for product, stock in ({p: before.products[p]["stock"] for p in before.products} | end.stock).items():
        if world.products[product]["stock"] != stock:
            failed.append(f"stock of {product} {world.products[product]['stock']} != {stock}")
    statuses = {p["id"]: p["status"] for p in before.purchases} | end.orders
    failed += [f"order {p['id']} {p['status']} != {statuses[p['id']]}" for p in world.purchases
               if p["id"] in statuses and p["status"] != statuses[p["id"]]]
    unmatched = list(world.cases)
    for wanted_case in end.cases:
        match = next((c for c in unmatched if _subset(c, wanted_case)), None)
        if match is None:
            failed.append(f"no case {wanted_case}")
        else:
            unmatched.remove(match)
    failed += [f"unexpected case {c}" for c in unmatched]
    if len(world.outbox) != end.outbox:
        failed.append(f"{len(world.outbox)} emails sent, wanted {end.outbox}")
    if len(world.transfers) != end.transfers:
        failed.append(f"{len(world.transfers)} transfers, wanted {end.transfers}")
    return failed


async def run_scenario(scenario: Scenario, brain: Brain, world: World, knowledge: Knowledge) -> ScenarioScore:
    port = WorldTools(world.copy(), scenario.caller, knowledge)
    customer = {k: v for k, v in world.customers[scenario.caller].items() if k != "date_of_birth"}
    conversation = Conversation(agents=agents(), brain=brain, port=port, store=MemoryStore(),
                                state=ConversationState(id=f"chat-{scenario.id}", session_id=scenario.id),
                                etag=None, facts={"company": world.company, "customer": customer})
    result = ScenarioScore(scenario)
    for expected in scenario.turns:
        started = time.perf_counter()
        ended = await conversation.turn(expected.say)
        latency = (time.perf_counter() - started) * 1000
        result.turns.append(score_turn(expected, ended.said, ended.tool_calls, ended.agent, latency))
    score_end(scenario, world, port.effects, port.world, result)
    return result


async def run(scenarios: list[Scenario], brain: Brain, world: World, knowledge: Knowledge) -> list[ScenarioScore]:
    return [await run_scenario(s, brain, world, knowledge) for s in scenarios]


def figures(results: list[ScenarioScore]) -> dict[str, float | None]:
    turns = [t for r in results for t in r.turns]
    tp = sum(sum((Counter(t.called) & Counter(t.expected)).values()) for t in turns)
    called = sum(len(t.called) for t in turns)
    expected = sum(len(t.expected) for t in turns)
    args_total = sum(t.args_total for t in turns)
    refusals = [(t, e) for r in results for t, e in zip(r.turns, r.scenario.turns, strict=True) if e.refusal]
    unknowns = [(t, e) for r in results for t, e in zip(r.turns, r.scenario.turns, strict=True) if e.dont_know]
    agents_named = [(t, e) for r in results for t, e in zip(r.turns, r.scenario.turns, strict=True) if e.agent]
    done = sum(r.effects_done for r in results)
    latencies = sorted(t.latency_ms for t in turns)
    return {
        "scenarios": len(results),
        "turns": len(turns),
        "task_success": sum(r.success for r in results) / max(len(results), 1),
        "tool_accuracy": sum(Counter(t.called) == Counter(t.expected) for t in turns) / max(len(turns), 1),
        "tool_precision": tp / called if called else 1.0,
        "tool_recall": tp / expected if expected else 1.0,
        "argument_accuracy": sum(t.args_right for t in turns) / args_total if args_total else 1.0,
        "refusals_correct": sum("no explicit refusal" not in t.checks_failed for t, _ in refusals)
        / len(refusals) if refusals else None,  # None: no turn asks for it
        "dont_know_correct": sum("no \"I don't know\"" not in t.checks_failed for t, _ in unknowns)
        / len(unknowns) if unknowns else None,  # None: no turn asks for it
        "handoff_correct": sum(not any(f.startswith("agent ") for f in t.checks_failed) for t, _ in agents_named)
        / len(agents_named) if agents_named else None,  # None: no turn asks for it
        "effects_done": done,
        "effects_wrong": sum(r.effects_wrong for r in results),
        "effects_missed": sum(r.effects_missed for r in results),
        "raw_replies": sum(any(f.startswith("raw text") for f in t.checks_failed) for t in turns),
        "latency_p50_ms": statistics.median(latencies) if latencies else 0.0,
        "latency_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
    }


def table(results: list[ScenarioScore]) -> str:
    lines = [f"{'scenario':34} {'split':5} {'ok':3} {'turns':>5} {'tools':>6} {'args':>6} {'p95 ms':>7}  first failure"]
    for r in results:
        exact = sum(Counter(t.called) == Counter(t.expected) for t in r.turns) / len(r.turns)
        total = sum(t.args_total for t in r.turns)
        args = sum(t.args_right for t in r.turns) / total if total else 1.0
        p95 = sorted(t.latency_ms for t in r.turns)[int(0.95 * (len(r.turns) - 1))]
        first = next((f"turn {i + 1}: {t.checks_failed[0]}" for i, t in enumerate(r.turns) if t.checks_failed),
                     r.end_failed[0] if r.end_failed else "")
        lines.append(f"{r.scenario.id:34} {r.scenario.split:5} {'yes' if r.success else 'NO':3} {len(r.turns):5d} "
                     f"{exact:6.0%} {args:6.0%} {p95:7.1f}  {first[:110]}")
    return "\n".join(lines)


def summary(name: str, numbers: dict[str, float | None]) -> str:
    shown = ", ".join(f"{k} {v:.1%}" if isinstance(v, float) and k not in ("latency_p50_ms", "latency_p95_ms")
                      else f"{k} {v:.1f}" if isinstance(v, float) else f"{k} n/a" if v is None else f"{k} {v}"
                      for k, v in numbers.items())
    return f"{name}: {shown}"
