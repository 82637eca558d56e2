"""The LLM brain: a streaming chat-completions adapter for any OpenAI-compatible endpoint.

Text deltas reach the caller as they are generated; tool-call deltas are assembled into whole
calls with the model's own ids. The tool loop, handoffs and every safety rule are the runtime's
(`shared/conversation/`): this module only speaks the wire format.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from shared.conversation import tool_loop
from shared.conversation.tool_loop import ToolRequest
from shared.conversation.turn import Turn
from shared.credentials import openai_client
from shared.settings import Settings


class ChatCompletionsModel:
    def __init__(self, settings: Settings) -> None:
        self._client = openai_client(settings, settings.llm_base_url, settings.llm_api_key, timeout=60, max_retries=1)
        self._model = settings.llm_model

    async def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
                     ) -> AsyncIterator[str | ToolRequest]:
        offered: dict[str, Any] = {"tools": tools} if tools else {}
        response = await self._client.chat.completions.create(model=self._model, messages=messages, stream=True,
                                                              **offered)
        calls: dict[int, dict[str, str]] = {}
        async for chunk in response:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.content:
                yield delta.content
            for part in delta.tool_calls or []:
                call = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
                call["id"] = part.id or call["id"]
                if part.function:
                    call["name"] += part.function.name or ""
                    call["arguments"] += part.function.arguments or ""
        for index in sorted(calls):
            yield ToolRequest(**calls[index])


class LlmBrain:
    def __init__(self, settings: Settings) -> None:
        self._model = ChatCompletionsModel(settings)

    async def respond(self, turn: Turn) -> None:
        await tool_loop.run(self._model, turn)
