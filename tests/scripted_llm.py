"""An OpenAI-compatible chat endpoint on loopback whose answers a test scripts."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from local.threaded_server import serving as threaded

# An answer is text, or a tool call: (name, arguments).
Script = Callable[[dict[str, Any]], "str | tuple[str, dict[str, Any]]"]


class ScriptedLlm:
    """Answers as one JSON body, or streamed as chat-completion chunks (one word each, `token_seconds` apart)
    when the request asks for a stream, as OpenAI-compatible servers do."""

    def __init__(self, script: Script, token_seconds: float = 0.0) -> None:
        self.script = script
        self.token_seconds = token_seconds
        self.requests: list[dict[str, Any]] = []

    async def _chunks(self, body: dict[str, Any], answer: str | tuple[str, dict[str, Any]]) -> AsyncIterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({
                "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"

        yield chunk({"role": "assistant"})
        if isinstance(answer, str):
            for word in re.findall(r"\S+\s*", answer):
                await asyncio.sleep(self.token_seconds)
                yield chunk({"content": word})
            yield chunk({}, "stop")
        else:  # a tool call in two deltas: the name, then the arguments in halves, as models send them
            name, arguments = answer
            text = json.dumps(arguments)
            half = len(text) // 2
            yield chunk({"tool_calls": [{"index": 0, "id": f"call_{len(self.requests)}", "type": "function",
                                         "function": {"name": name, "arguments": text[:half]}}]})
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": text[half:]}}]})
            yield chunk({}, "tool_calls")
        yield "data: [DONE]\n\n"

    async def _complete(self, request: Request) -> JSONResponse | StreamingResponse:
        body = await request.json()
        self.requests.append(body)
        answer = self.script(body)
        if body.get("stream"):
            return StreamingResponse(self._chunks(body, answer), media_type="text/event-stream")
        if isinstance(answer, str):
            message, finish = {"role": "assistant", "content": answer}, "stop"
        else:
            name, arguments = answer
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{len(self.requests)}", "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)}}]}
            finish = "tool_calls"
        return JSONResponse({
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "finish_reason": finish, "message": message}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Runs the endpoint in a thread; yields its base URL (…/v1)."""
        app = Starlette(routes=[Route("/v1/chat/completions", self._complete, methods=["POST"])])
        with threaded(app) as port:
            yield f"http://127.0.0.1:{port}/v1"
