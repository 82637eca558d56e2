"""The LLM writer against a scripted OpenAI-compatible server: invalid answers are retried, then skipped."""

from __future__ import annotations

import json
from typing import Any

from shared.settings import Settings
from shared.synthetic import offline
from shared.synthetic.llm import ATTEMPTS, LlmWriter
from shared.synthetic.spec import CompanySpec
from tests.scripted_llm import ScriptedLlm

SPEC = CompanySpec(name="Northwind", industry="electronics", customers=5, products=4, purchases=0, conversations=3)


def prompt_of(body: dict[str, Any]) -> str:
    return body["messages"][-1]["content"]


async def test_invalid_answers_are_retried_then_the_item_is_skipped_and_counted() -> None:
    products = offline.generate_products(SPEC, 0, 4)
    stubborn, flaky = products[0].name, products[1].name
    seen: dict[str, int] = {}

    def script(body: dict[str, Any]) -> str:
        name = next(p.name for p in products if p.name in prompt_of(body))
        seen[name] = seen.get(name, 0) + 1
        if name == stubborn or (name == flaky and seen[name] == 1):
            return '{"description": "too short"}'
        return json.dumps({"description": f"{name}: a carefully made product that customers keep coming back for."})

    llm = ScriptedLlm(script)
    with llm.serving() as base_url:
        writer = LlmWriter(Settings(LLM_BASE_URL=base_url, LLM_MODEL="scripted"))
        written = await writer.rewrite("products", products)
        await writer.close()
    assert [p.id for p in written] == [p.id for p in products[1:]]  # the stubborn one is skipped
    assert seen[stubborn] == ATTEMPTS and seen[flaky] == 2
    assert all(p.description.endswith("coming back for.") for p in written)
    assert written[0].price == products[1].price  # the model writes words, never prices
    assert llm.requests[0]["response_format"]["type"] == "json_schema"


async def test_conversations_keep_their_facts_and_take_the_models_words() -> None:
    conversations = offline.generate_conversations(SPEC, 0, 3)

    def script(body: dict[str, Any]) -> str:
        return json.dumps({"transcript": [{"speaker": "caller", "text": "Hi, where is my order?"},
                                          {"speaker": "agent", "agent": "router", "text": "Let me check."},
                                          {"speaker": "caller", "text": "Thanks."},
                                          {"speaker": "agent", "agent": "customer_data", "text": "It ships today."}],
                           "summary": "The caller asked where their order was; it ships today."})

    with ScriptedLlm(script).serving() as base_url:
        writer = LlmWriter(Settings(LLM_BASE_URL=base_url, LLM_MODEL="scripted"))
        written = await writer.rewrite("conversations", conversations)
        await writer.close()
    assert len(written) == 3
    assert [(c.topic, c.sentiment, c.outcome) for c in written] == [
        (c.topic, c.sentiment, c.outcome) for c in conversations]
    assert written[0].transcript[3].text == "It ships today."
