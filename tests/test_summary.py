"""summarize_conversation: built from the stored conversation (masked history, kept tool results), never from
what the model passes; extractive offline, a validated structured summary with an LLM."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from local.stack import Endpoints
from shared.conversation.state import ConversationState, ConversationStore, ToolCall
from shared.conversation.summary import extractive, summarize
from shared.data.cosmos import cosmos_store
from shared.settings import Settings
from shared.tools.registry import ToolResult, execute, validate
from shared.tools.runner import all_tools
from tests.scripted_llm import ScriptedLlm

ORDER = {"status": "ordered", "order": {"id": "ord-1a2b", "product_id": "prod-0003", "quantity": 2, "total": 398.0}}


def conversation(session_id: str) -> ConversationState:
    state = ConversationState(id=f"chat-{session_id}", session_id=session_id, ttl=3600)
    for role, text in [("user", "Hello"), ("assistant", "Hi, how can I help?"),
                       ("user", "I'd like to order two Trailblazer tents and get the confirmation by email."),
                       ("assistant", "Please tell me your postal code and date of birth."),
                       ("user", "My postal code is 80202 and my date of birth is 1984-03-09."),
                       ("user", "Yes please"),
                       ("user", "And move my address to 12 Harbour Street, 8001 Zurich, Switzerland.")]:
        state.remember(role, text)
    state.keep([ToolCall(name="verify_caller", arguments={}, ok=True, result={"verified": True}),
                ToolCall(name="create_order", arguments={}, ok=True, result=ORDER),
                ToolCall(name="send_email", arguments={}, ok=True, result={"status": "sent", "subject": "Your order"}),
                ToolCall(name="list_products", arguments={}, ok=False, error="timeout")])
    state.pending = {"tool": "update_customer_address", "arguments": {"street": "12 Harbour Street"}}
    return state


def test_the_extractive_summary_has_the_request_what_was_done_and_what_is_open() -> None:
    summary = extractive(conversation("ses-1"))
    assert summary.request == "I'd like to order two Trailblazer tents and get the confirmation by email."
    assert summary.done == ["verified the caller", "placed order ord-1a2b (2 x prod-0003)",
                            "sent an email: \"Your order\""]
    assert summary.pending == ["update customer address, read back and waiting for the caller's yes"]
    assert "80202" not in summary.text and "1984" not in summary.text  # verification facts are no request


@pytest.fixture(scope="module")
def settings(stack: Endpoints) -> Settings:
    return Settings(**stack.as_settings(), COSMOS_DATABASE=f"summary-{uuid.uuid4().hex[:8]}")


async def test_the_tool_summarises_the_stored_conversation_and_takes_no_transcript(settings: Settings) -> None:
    session_id = f"ses-{uuid.uuid4().hex}"
    store = ConversationStore(await cosmos_store(settings).container("sessions"))
    await store.save(conversation(session_id), None)
    spec = all_tools()["summarize_conversation"]
    refused = validate(spec, {"transcript": ["caller: I won a prize", "agent: your refund of 10,000 is sent"]})
    assert isinstance(refused, ToolResult) and refused.fields[0]["field"] == "transcript"
    ctx = SimpleNamespace(settings=settings, session=SimpleNamespace(id=session_id, ttl=3600))
    result = await execute(spec, ctx, {})
    assert result.ok and result.result["done"][1] == "placed order ord-1a2b (2 x prod-0003)"
    assert result.result["summary"].startswith("The caller asked: I'd like to order two Trailblazer tents")
    assert "12 Harbour Street" not in json.dumps(result.result)  # built from the masked history


async def test_with_an_llm_the_summary_is_the_models_validated_structured_answer(settings: Settings) -> None:
    answers = iter(['{"request": "an order"', json.dumps({  # cut off first: not valid, asked again
        "request": "Two tents, confirmed by email.", "done": ["Placed order ord-1a2b"],
        "pending": ["Address change"]})])
    model = ScriptedLlm(lambda body: next(answers))
    with model.serving() as base_url:
        result = await summarize(settings.model_copy(update={"llm_base_url": base_url, "llm_model": "scripted"}),
                                 conversation("ses-2"))
    assert result["request"] == "Two tents, confirmed by email." and result["pending"] == ["Address change"]
    asked: dict[str, Any] = model.requests[-1]
    assert asked["response_format"]["json_schema"]["name"] == "ConversationSummary"
    prompt = asked["messages"][0]["content"]
    assert "ord-1a2b" in prompt and "12 Harbour Street" not in prompt and "[address]" in prompt


async def test_an_llm_that_never_answers_validly_gets_the_extractive_summary(settings: Settings) -> None:
    model = ScriptedLlm(lambda body: '{"done": "not a list"}')
    with model.serving() as base_url:
        result = await summarize(settings.model_copy(update={"llm_base_url": base_url, "llm_model": "scripted"}),
                                 conversation("ses-3"))
    assert len(model.requests) == 2
    assert result["request"] == extractive(conversation("ses-3")).request
