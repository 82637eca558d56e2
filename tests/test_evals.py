"""The conversation eval, in process: the offline brain through the runtime against the in-memory company.

Guards the figures that must not regress (no side effect carried out wrongly, no raw tool text, every
failure class the scenarios name passing), and that the harness itself tells a bad brain from a good one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import pytest

from evals import runner
from evals.scenarios import Scenario, load
from evals.world import Knowledge, World, WorldTools
from shared.agents.definitions import agents
from shared.agents.offline_brain import IntentModel, OfflineBrain
from shared.conversation import tool_loop
from shared.conversation.runtime import Conversation
from shared.conversation.state import ConversationState
from shared.conversation.tool_loop import ToolRequest
from shared.conversation.turn import Turn
from shared.knowledge.embeddings import MiniLmEmbedder

# One scenario per failure class seen with callers' own wording, from the tuning split: the held-out splits
# are for `python -m evals` to report, not for a test to pin down.
FAILURE_CLASSES = [
    "dev-order-negative",  # a sign lost on a quantity
    "dev-other-customer-address",  # another customer's record changed, a fragment saved as the street
    "dev-move-us-state", "dev-move-uk-postcode", "dev-move-canada", "dev-move-germany",  # addresses
    "dev-bare-yes-nothing-pending",  # a bare yes or no taken as something else
    "dev-profile-email-question",  # a question about one's own email sent to the email agent
    "dev-injection", "dev-data-dump",  # a refusal, not a question back
    "dev-knowledge-returns", "dev-price-question",  # names and prices, a short answer without page furniture
    "dev-order-correction", "dev-cancel-order", "dev-complaint", "dev-change-email", "dev-multi-intent",
]


@pytest.fixture(scope="module")
def results() -> Iterator[dict[str, runner.ScenarioScore]]:
    embedder = MiniLmEmbedder()
    brain = OfflineBrain(IntentModel(embedder, agents()))
    scored = asyncio.run(runner.run(load(("dev", "test")), brain, World.load(), Knowledge(embedder)))
    yield {r.scenario.id: r for r in scored}


def test_no_side_effect_is_carried_out_wrongly_and_no_reply_shows_raw_tool_text(
        results: dict[str, runner.ScenarioScore]) -> None:
    numbers = runner.figures(list(results.values()))
    assert numbers["effects_wrong"] == 0 and numbers["raw_replies"] == 0
    everything = load()
    assert len(everything) >= 60 and sum(len(s.turns) for s in everything) >= 200


@pytest.mark.parametrize("scenario", FAILURE_CLASSES)
def test_each_failure_class_has_a_passing_scenario(results: dict[str, runner.ScenarioScore], scenario: str) -> None:
    scored = results[scenario]
    assert scored.success, runner.table([scored])


def test_the_tuning_split_stays_at_its_figures(results: dict[str, runner.ScenarioScore]) -> None:
    dev = runner.figures([r for r in results.values() if r.scenario.split == "dev"])
    assert dev["tool_accuracy"] >= 0.95 and dev["argument_accuracy"] >= 0.95 and dev["refusals_correct"] == 1.0


class ConfirmsAtOnce:
    """A brain that reads the address back and confirms it in the same turn: the tool layer refuses the
    confirmation, and the harness must count the change as missed."""

    async def respond(self, turn: Turn) -> None:
        arguments = {"street": "1 Main Street", "postal_code": "10001", "city": "New York", "country": "USA"}
        await turn.tool("update_customer_address", arguments)
        await turn.tool("update_customer_address", {**arguments, "confirmed": True})
        await turn.say("Done: invalid arguments.")


def test_the_harness_tells_a_bad_brain_apart() -> None:
    scenario = Scenario.model_validate({
        "id": "bad", "caller": "cust-us", "turns": [{"say": "move me to 1 main street 10001 new york",
                                                     "tools": ["update_customer_address"]}],
        "effects": [{"tool": "update_customer_address", "args": {"street": "1 Main Street"}}]})
    scored = asyncio.run(runner.run_scenario(scenario, ConfirmsAtOnce(), World.load(),
                                             Knowledge(MiniLmEmbedder())))
    assert not scored.success and scored.effects_missed == 1 and scored.effects_done == 0
    assert any(f.startswith("raw text") for f in scored.turns[0].checks_failed)
    assert any(f.startswith("tools") for f in scored.turns[0].checks_failed)  # two calls where one was wanted


class Raises:
    """A brain that finds a tool's answer in a shape it did not expect: the caller hears an apology."""

    async def respond(self, turn: Turn) -> None:
        found = await turn.tool("web_search", {"query": "news about the company"})
        await turn.say(found.result["no such field"])


def test_a_brain_that_raises_fails_its_turn_even_when_the_tools_were_right() -> None:
    scenario = Scenario.model_validate({"id": "raises", "caller": "cust-us",
                                        "turns": [{"say": "any news", "tools": ["web_search"]}]})
    scored = asyncio.run(runner.run_scenario(scenario, Raises(), World.load(), Knowledge(MiniLmEmbedder())))
    assert not scored.success and scored.turns[0].checks_failed == ["the brain failed"]


MOVE = {"street": "Seestrasse 20", "postal_code": "8002", "city": "Zürich", "country": "Switzerland"}
LLM_SCENARIO = {
    "id": "llm-move", "caller": "cust-ch",
    "turns": [{"say": "postal code 8001, born 9 september 1975", "tools": ["verify_caller"]},
              {"say": "move me to seestrasse 20 8002 zürich", "tools": ["update_customer_address"],
               "args": {"update_customer_address": MOVE}},
              {"say": "yes", "tools": ["update_customer_address"]}],
    "effects": [{"tool": "update_customer_address", "args": MOVE}], "end": {"address": MOVE}}


class ScriptedModel:
    """Plays a model for the tool loop: per caller message the tool calls it makes, then a sentence."""

    def __init__(self, steps: dict[str, list[tuple[str, dict]]]) -> None:
        self._steps = steps

    async def stream(self, messages: list[dict], tools: list[dict]) -> AsyncIterator[str | ToolRequest]:
        last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
        done = sum(m["role"] == "tool" for m in messages[last_user:])
        calls = self._steps[messages[last_user]["content"][:8]]
        if done < len(calls):
            name, arguments = calls[done]
            yield ToolRequest(id=f"call-{last_user}-{done}", name=name, arguments=json.dumps(arguments))
        else:
            yield "Alright."


class ModelBrain:
    def __init__(self, model: ScriptedModel) -> None:
        self._model = model

    async def respond(self, turn: Turn) -> None:
        await tool_loop.run(self._model, turn)


@pytest.mark.parametrize(("steps", "passes"), [
    ({"postal c": [("verify_caller", {"postal_code": "8001", "date_of_birth": "1975-09-09"})],
      "move me ": [("handoff", {"agent": "customer_data", "reason": "address"}), ("update_customer_address", MOVE)],
      "yes": [("update_customer_address", {**MOVE, "confirmed": True})]}, True),
    # A model that confirms in the turn it reads back: the tool layer does nothing, the harness says so.
    ({"postal c": [("verify_caller", {"postal_code": "8001", "date_of_birth": "1975-09-09"})],
      "move me ": [("handoff", {"agent": "customer_data", "reason": "address"}),
                   ("update_customer_address", {**MOVE, "confirmed": True})],
      "yes": []}, False),
])
def test_a_model_driven_brain_is_scored_by_the_same_harness(steps: dict, passes: bool) -> None:
    scored = asyncio.run(runner.run_scenario(Scenario.model_validate(LLM_SCENARIO), ModelBrain(ScriptedModel(steps)),
                                             World.load(), Knowledge(MiniLmEmbedder())))
    assert scored.success is passes, runner.table([scored])
    assert scored.effects_missed == (0 if passes else 1) and scored.effects_wrong == 0


def test_a_complaint_on_a_phone_call_is_recorded_then_transferred(monkeypatch: pytest.MonkeyPatch) -> None:
    from evals.world import WorldTools

    recorded = WorldTools.escalate_complaint

    def on_a_call(self: WorldTools, reason: str) -> dict:  # what the tool answers in a phone session
        return {**recorded(self, reason), "transfer_possible": True}

    monkeypatch.setattr(WorldTools, "escalate_complaint", on_a_call)
    scenario = Scenario.model_validate({
        "id": "complaint-call", "caller": "cust-in",
        "turns": [{"say": "i want to make a complaint, the courier threw my parcel over the fence",
                   "tools": ["escalate_complaint"], "says": ["supervisor"]},
                  {"say": "yes", "tools": ["escalate_complaint", "transfer_to_human"], "says": ["case", "colleague"]}],
        "effects": [{"tool": "escalate_complaint"}], "end": {"cases": [{"kind": "complaint"}], "transfers": 1}})
    embedder = MiniLmEmbedder()
    scored = asyncio.run(runner.run_scenario(scenario, OfflineBrain(IntentModel(embedder, agents())), World.load(),
                                             Knowledge(embedder)))
    assert scored.success, runner.table([scored])


class UncountedTurns(WorldTools):
    """A port whose caller turns after the first are not counted, as a spoken turn taken back can leave it."""

    async def caller_turn(self) -> None:
        self.caller_turns = max(self.caller_turns, 1)


def test_a_yes_the_tool_layer_does_not_take_yet_is_read_back_again_not_an_error() -> None:
    world = World.load()
    embedder = MiniLmEmbedder()
    port = UncountedTurns(world.copy(), "cust-ch", Knowledge(embedder))
    customer = {k: v for k, v in world.customers["cust-ch"].items() if k != "date_of_birth"}
    conversation = Conversation(agents=agents(), brain=OfflineBrain(IntentModel(embedder, agents())), port=port,
                                store=runner.MemoryStore(), state=ConversationState(id="chat-1", session_id="s"),
                                etag=None, facts={"company": world.company, "customer": customer})

    async def talk() -> list[str]:
        return [(await conversation.turn(said)).said for said in
                ("postal code 8001, born 9 september 1975", "move me to seestrasse 20 8002 zürich", "yes")]

    replies = asyncio.run(talk())
    assert "Shall I go ahead?" in replies[1] and "Shall I go ahead?" in replies[2], replies
    assert "wrong" not in replies[2] and not port.effects  # asked again; nothing changed without a counted yes
