"""The conversation runtime driven with a scripted model and a fake tool port: the event stream it produces."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from shared.agents.definitions import agents
from shared.conversation.clauses import ClauseSplitter
from shared.conversation.events import HandedOff, OutEvent, TextDelta, ToolFinished, ToolStarted, TurnEnded
from shared.conversation.runtime import APOLOGY, Conversation
from shared.conversation.state import ConversationState
from shared.conversation.tool_loop import ToolRequest, run
from shared.tools.registry import ToolResult

FACTS = {"company": "Contoso", "customer": {"first_name": "Ada", "last_name": "Lovelace", "loyalty_tier": "gold"}}
Step = list["str | ToolRequest | asyncio.Event"]


class ScriptedModel:
    """Streams each step's items in turn; an Event in a step holds the stream until it is set."""

    def __init__(self, *steps: Step | Exception) -> None:
        self.steps = list(steps)
        self.seen: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []

    async def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
                     ) -> AsyncIterator[str | ToolRequest]:
        self.seen.append((messages, tools))
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        for item in step:
            if isinstance(item, asyncio.Event):
                await item.wait()
            else:
                yield item


class StreamingBrain:
    def __init__(self, model: ScriptedModel) -> None:
        self.model = model

    async def respond(self, turn: Any) -> None:
        await run(self.model, turn)


class FakePort:
    def __init__(self, answer: Callable[[str, dict[str, Any]], Any] | None = None) -> None:
        self.answer = answer or (lambda name, arguments: {"done": name})
        self.gate: asyncio.Event | None = None
        self.ran: list[str] = []
        self.turns = 0
        self.dropped: list[str] = []

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        if self.gate is not None:
            await self.gate.wait()
        self.ran.append(name)
        return ToolResult(ok=True, result=self.answer(name, arguments))

    async def caller_turn(self) -> None:
        self.turns += 1

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        self.dropped += proposal_ids


class MemoryStore:
    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []

    async def save(self, state: ConversationState, etag: str | None) -> str:
        assert etag == (str(len(self.saved)) if self.saved else None), "written under a stale etag"
        self.saved.append(state.model_dump(mode="json"))
        return str(len(self.saved))


def conversation(model: ScriptedModel, port: FakePort | None = None, agent: str = "router",
                 deadline: float = 5.0) -> tuple[Conversation, FakePort, MemoryStore]:
    port, store = port or FakePort(), MemoryStore()
    state = ConversationState(id="chat-ses-1", session_id="ses-1", active_agent=agent)
    talk = Conversation(agents=agents(), brain=StreamingBrain(model), port=port, store=store, state=state,
                        etag=None, facts=FACTS, tool_deadline_seconds=deadline)
    return talk, port, store


def drain(talk: Conversation) -> list[OutEvent]:
    events = []
    while not talk.events.empty():
        events.append(talk.events.get_nowait())
    return events


def call(name: str, **arguments: Any) -> ToolRequest:
    return ToolRequest(id=f"call-{name}", name=name, arguments=json.dumps(arguments))


async def test_the_first_clause_goes_out_before_the_model_has_finished() -> None:
    hold = asyncio.Event()
    talk, _, _ = conversation(ScriptedModel(["Hello Ada, ", hold, "how can I help?"]))
    turn = asyncio.create_task(talk.turn("hi"))
    first = await asyncio.wait_for(talk.events.get(), 2)
    assert first == TextDelta("Hello Ada, ", clause_end=True) and not turn.done()
    hold.set()
    ended = await turn
    assert ended.said == "Hello Ada, how can I help?" and not ended.interrupted
    deltas = [e for e in drain(talk) if isinstance(e, TextDelta)]
    assert "".join(d.text for d in deltas) == "how can I help?" and deltas[-1].clause_end


async def test_a_barge_in_mid_answer_keeps_only_what_the_caller_heard() -> None:
    never = asyncio.Event()
    talk, _, store = conversation(ScriptedModel(["Your order is on its way, ", "it left ", never, "today."]))
    turn = asyncio.create_task(talk.turn("where is my order?"))
    assert [(await talk.events.get()).text for _ in range(2)] == ["Your order is on its way, ", "it left "]
    ended = await talk.interrupt(heard="Your order is on its way,")
    assert ended is not None and ended.interrupted and ended.said == "Your order is on its way,"
    assert await turn == ended
    assert store.saved[-1]["history"][-1] == {"role": "assistant", "text": "Your order is on its way,",
                                              "agent": "router"}


async def test_a_turn_stopped_as_its_answer_plays_out_ends_with_what_was_heard() -> None:
    played = asyncio.Event()  # the turn waits for its answer to be played out, as the spoken engine's does
    talk, _, _ = conversation(ScriptedModel(["Just to confirm: 12 Harbour Street, Zurich. ", played]))
    turn = asyncio.create_task(talk.turn("move me to Zurich"))
    await asyncio.wait_for(talk.events.get(), 2)
    stopping = talk.stop(heard="Just to confirm:")
    played.set()  # stopping the audio lets the wait for it end in the same moment: too late to count
    ended = await turn
    assert ended.interrupted and ended.said == "Just to confirm:" and stopping is not None
    assert await stopping == ended


async def test_a_barge_in_during_a_tool_lets_it_finish_and_drops_its_read_back() -> None:
    port = FakePort(lambda name, arguments: {"status": "confirmation_required", "read_back": "12 Harbour Street",
                                             "proposal_id": "prop-1"})
    port.gate = asyncio.Event()
    model = ScriptedModel([call("update_customer_address", street="12 Harbour Street", postal_code="8001",
                                city="Zurich", country="CH")], ["Shall I go ahead?"])
    talk, port, _ = conversation(model, port, agent="customer_data")
    turn = asyncio.create_task(talk.turn("move me to 12 Harbour Street"))
    assert isinstance(await asyncio.wait_for(talk.events.get(), 2), ToolStarted)
    stopping = asyncio.create_task(talk.interrupt(heard=""))
    await asyncio.sleep(0.01)
    assert not stopping.done()  # the cancelled turn waits for the tool it started
    port.gate.set()
    ended = await stopping
    assert ended.interrupted and ended.said == "" and await turn == ended
    assert port.ran == ["update_customer_address"] and port.dropped == ["prop-1"]
    assert model.steps == [["Shall I go ahead?"]]  # nothing after the tool ran


async def test_a_withdrawn_tentative_turn_leaves_no_trace_and_its_verification_never_runs() -> None:
    model = ScriptedModel([call("verify_caller", postal_code="94103")], ["Thanks."], ["Thanks, you are verified."])
    talk, port, store = conversation(model)
    committed = asyncio.Event()
    before = talk.state.model_dump(mode="json")
    turn = asyncio.create_task(talk.turn("my postal code is 94103", committed=committed.wait))
    await asyncio.sleep(0.05)
    assert port.ran == []  # held back: the caller may yet go on
    ended = await talk.withdraw()
    assert ended is not None and ended.withdrawn and ended.said == "" and await turn == ended
    assert port.ran == [] and talk.state.model_dump(mode="json") == before and store.saved == []
    whole = await talk.turn("my postal code is 94103 and I was born on 3 March 1985")
    assert not whole.withdrawn and [m.text for m in talk.state.history if m.role == "user"] == [
        "my postal code is 94103 and I was born on 3 March 1985"]


async def test_a_tentative_turn_looks_up_at_once_and_acts_once_committed() -> None:
    address = {"street": "12 Harbour Street", "postal_code": "8001", "city": "Zurich", "country": "CH"}
    model = ScriptedModel([call("get_purchase_history"), call("update_customer_address", **address, confirmed=True)],
                          ["Done."])
    talk, port, _ = conversation(model, agent="customer_data")
    committed = asyncio.Event()
    turn = asyncio.create_task(talk.turn("yes, go ahead", committed=committed.wait))
    await asyncio.sleep(0.05)
    assert port.ran == ["get_purchase_history"]  # a lookup changes nothing: it runs while the turn is tentative
    committed.set()
    ended = await asyncio.wait_for(turn, 2)
    assert port.ran == ["get_purchase_history", "update_customer_address"] and not ended.withdrawn


async def test_a_handoff_mid_turn_switches_instructions_and_tools() -> None:
    model = ScriptedModel([call("handoff", agent="customer_data", reason="profile")], ["Let me look that up."])
    talk, _, _ = conversation(model)
    ended = await talk.turn("what do you have on file for me?")
    events = drain(talk)
    assert HandedOff("router", "customer_data") in events and ended.agent == "customer_data"
    assert ended.handoffs == ["customer_data"] and talk.state.active_agent == "customer_data"
    (first_system, first_tools), (then_system, then_tools) = [(m[0]["content"], t) for m, t in model.seen]
    assert "front desk" in first_system and "profile" in then_system
    assert "get_customer_profile" in {t["function"]["name"] for t in then_tools} - {
        t["function"]["name"] for t in first_tools}


async def test_a_handoff_outside_the_agents_targets_is_refused() -> None:
    model = ScriptedModel([call("handoff", agent="customer_data", reason="x")], ["Sorry."])
    talk, port, _ = conversation(model, agent="web_search")
    ended = await talk.turn("change my address")
    assert not ended.tool_calls[0].ok and "web_search can hand off to router only" in ended.tool_calls[0].error
    assert talk.state.active_agent == "web_search" and port.ran == []


async def test_a_tool_that_never_answers_is_given_up_and_the_turn_goes_on() -> None:
    port = FakePort()
    port.gate = asyncio.Event()  # never set
    model = ScriptedModel([call("end_call", reason="done")], ["I could not end the call."])
    talk, _, _ = conversation(model, port, deadline=0.1)
    ended = await asyncio.wait_for(talk.turn("bye"), 5)
    finished = next(e for e in drain(talk) if isinstance(e, ToolFinished))
    assert not finished.ok and "took too long" in finished.error
    assert ended.said == "I could not end the call."


async def test_a_model_error_becomes_a_spoken_apology_with_a_retry_offer() -> None:
    talk, _, store = conversation(ScriptedModel(RuntimeError("model unavailable")))
    ended = await talk.turn("hello")
    assert ended.said == APOLOGY and "say that again" in ended.said
    assert store.saved[-1]["history"][-1]["text"] == APOLOGY


async def test_two_turns_at_once_run_one_after_the_other() -> None:
    first_hold = asyncio.Event()
    talk, port, store = conversation(ScriptedModel(["One, ", first_hold, "done."], ["Two."]))
    first = asyncio.create_task(talk.turn("first"))
    second = asyncio.create_task(talk.turn("second"))
    await asyncio.sleep(0.02)
    assert port.turns == 1  # the second waits for the first
    first_hold.set()
    await asyncio.gather(first, second)
    ends = [e.said for e in drain(talk) if isinstance(e, TurnEnded)]
    assert ends == ["One, done.", "Two."] and port.turns == 2 and len(store.saved) == 2
    assert [m["text"] for m in store.saved[-1]["history"]] == ["first", "One, done.", "second", "Two."]


@pytest.mark.parametrize(("pieces", "clauses"), [
    (["Hello there, how are you? Fine."], ["Hello there, ", "how are you? ", "Fine."]),
    (["It costs 3", ".5", "0 dollars. OK"], ["It costs 3.50 dollars. ", "OK"]),
    (["Yes.", " And then"], ["Yes. ", "And then"]),
])
def test_clauses_are_cut_at_punctuation_followed_by_space(pieces: list[str], clauses: list[str]) -> None:
    splitter = ClauseSplitter()
    deltas = [d for piece in pieces for d in splitter.feed(piece)] + splitter.flush()
    text, found = "", []
    for delta in deltas:
        text += delta.text
        if delta.clause_end:
            found.append(text)
            text = ""
    assert [*found, *([text] if text else [])] == clauses
