"""With an LLM configured, the model writes product descriptions and conversations.

The offline generator still decides who, what and how it ended (ids, prices, topic, sentiment,
outcome); the model only writes the words, as structured output validated with pydantic. An
answer that does not validate is asked for again, then the item is skipped and counted.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from shared.credentials import openai_client
from shared.data.models import Conversation, Product, Turn
from shared.settings import Settings

Answer = TypeVar("Answer", bound=BaseModel)
ATTEMPTS = 3
CONCURRENCY = 4  # per batch: several batches run at once already
SYSTEM = ("You write realistic sample data for a contact center's test environment. Answer with JSON that "
          "matches the given schema, and nothing else. Never use real people's names or contact details.")

CONVERSATION_PROMPT = ("Write a phone call between a caller and the contact center's AI agents (turns with speaker "
                       "'caller' or 'agent'; agent turns name the agent speaking), and a one-sentence summary: ")


class ProductCopy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: Annotated[str, StringConstraints(min_length=40, max_length=1500)]


class ConversationCopy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    transcript: list[Turn] = Field(min_length=4, max_length=24)
    summary: Annotated[str, StringConstraints(min_length=10, max_length=600)]


class LlmWriter:
    def __init__(self, settings: Settings) -> None:
        self._client = openai_client(settings, settings.llm_base_url, settings.llm_api_key, timeout=60, max_retries=1)
        self._model = settings.llm_model
        self._gate = asyncio.Semaphore(CONCURRENCY)

    async def close(self) -> None:
        await self._client.close()

    async def rewrite(self, kind: str, items: Sequence[Any]) -> list[Any]:
        """The items with model-written text; those the model failed for are left out."""
        write = {"products": self._product, "conversations": self._conversation}.get(kind)
        if write is None:
            return list(items)
        written = await asyncio.gather(*(write(item) for item in items))
        return [item for item in written if item is not None]

    async def _product(self, product: Product) -> Product | None:
        copy = await self._ask(ProductCopy, f"Write the catalog description of this product: {product.name} "
                                            f"({product.category}, {product.price:.2f} {product.currency}).")
        return None if copy is None else product.model_copy(update={"description": copy.description})

    async def _conversation(self, conversation: Conversation) -> Conversation | None:
        brief = {"topic": conversation.topic, "product_id": conversation.product_id,
                 "agents_in_order": conversation.agents, "sentiment": conversation.sentiment.value,
                 "outcome": conversation.outcome.value}
        copy = await self._ask(ConversationCopy, CONVERSATION_PROMPT + json.dumps(brief))
        if copy is None:
            return None
        try:
            return Conversation.model_validate({**conversation.model_dump(), **copy.model_dump()})
        except ValidationError:
            return None

    async def _ask(self, answer: type[Answer], prompt: str) -> Answer | None:
        schema = {"name": answer.__name__, "schema": answer.model_json_schema()}
        for _ in range(ATTEMPTS):
            async with self._gate:
                response = await self._client.chat.completions.create(
                    model=self._model, temperature=0.9,
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
                    response_format={"type": "json_schema", "json_schema": schema})
            try:
                return answer.model_validate_json(response.choices[0].message.content or "")
            except ValidationError:
                continue
        return None
