"""The tool loop of a model that streams: text goes to the caller as it comes, tool calls run between
model steps, their results go back to the model, until it answers without asking for a tool.

The model is any `StreamingModel`; the messages are in the OpenAI chat format, which every
OpenAI-compatible endpoint speaks.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from shared.agents.definitions import Agent
from shared.conversation.state import ToolCall
from shared.conversation.turn import Turn
from shared.tools.runner import all_tools

MAX_STEPS = 8  # model calls per caller message: a loop of tool calls ends here
GAVE_UP = "I'm sorry, I could not finish that. Could you say it differently?"


@dataclass(frozen=True)
class ToolRequest:
    id: str  # the model's own tool-call id: a retried call is recognised by it
    name: str
    arguments: str  # JSON, as the model wrote it


class StreamingModel(Protocol):
    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
               ) -> AsyncIterator[str | ToolRequest]:
        """Text pieces as they are generated, then the tool calls of this step, complete."""


def offered_tools(agents: dict[str, Agent], agent: Agent) -> list[dict[str, Any]]:
    """The active agent's tools, plus a handoff that names only the agent's own targets."""
    schemas = [all_tools()[name].schema() for name in agent.tools]
    if agent.handoffs:
        handoff = all_tools()["handoff"].schema()
        handoff["function"]["parameters"]["properties"]["agent"]["enum"] = list(agent.handoffs)
        handoff["function"]["description"] += " Agents: " + "; ".join(
            f"{name}: {agents[name].description}" for name in agent.handoffs)
        schemas.append(handoff)
    return schemas


async def run(model: StreamingModel, turn: Turn) -> None:
    conversation: list[dict[str, Any]] = [
        {"role": "assistant" if m.role == "assistant" else "user", "content": m.text} for m in turn.state.history]
    conversation.append({"role": "user", "content": turn.message})
    for _ in range(MAX_STEPS):
        system = {"role": "system", "content": turn.agent.render("instructions", **turn.facts)}
        requests: list[ToolRequest] = []
        text: list[str] = []
        async for piece in model.stream([system, *conversation], offered_tools(turn.agents, turn.agent)):
            if isinstance(piece, ToolRequest):
                requests.append(piece)
            else:
                text.append(piece)
                await turn.say(piece)
        if not requests:
            return
        conversation.append({"role": "assistant", "content": "".join(text) or None, "tool_calls": [
            {"id": r.id, "type": "function", "function": {"name": r.name, "arguments": r.arguments}}
            for r in requests]})
        for request in requests:
            call = await _call(turn, request)
            if call.name == "search_knowledge_base" and call.ok:
                for passage in call.result["passages"]:
                    turn.cite(passage["citation"])
            if call.name == "web_search" and call.ok:
                for page in call.result["results"]:
                    turn.cite(page["citation"])
            content = call.result if call.ok else {"error": call.error}
            conversation.append({"role": "tool", "tool_call_id": request.id, "content": json.dumps(content)})
    await turn.say(GAVE_UP)


async def _call(turn: Turn, request: ToolRequest) -> ToolCall:
    try:
        arguments = json.loads(request.arguments or "{}")
    except json.JSONDecodeError:
        return ToolCall(name=request.name, arguments={}, ok=False, error="the arguments were not valid JSON")
    if not isinstance(arguments, dict):
        return ToolCall(name=request.name, arguments={}, ok=False, error="the arguments must be a JSON object")
    return await turn.tool(request.name, arguments, request.id)
