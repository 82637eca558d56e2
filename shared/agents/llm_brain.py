"""The LLM brain: any OpenAI-compatible chat endpoint with tool calling.

The active agent's instructions are the system prompt and its tools the model's tools; a handoff
switches both and keeps the conversation. Tool calls run through the same tool runner as every
other path, so validation, caller scope and confirmation hold whatever the model asks for.
"""

from __future__ import annotations

import json
from typing import Any

from shared.agents.conversation import ChatReply, ChatState, ToolCall, ToolCaller
from shared.agents.definitions import Agent
from shared.settings import Settings
from shared.tools.runner import all_tools

MAX_STEPS = 8  # model calls per caller message: a loop of tool calls ends here


class LlmBrain:
    def __init__(self, settings: Settings, agents: dict[str, Agent]) -> None:
        from openai import AsyncOpenAI

        self._client = AsyncOpenAI(base_url=settings.llm_base_url, api_key=settings.llm_api_key or "none",
                                   timeout=60, max_retries=1)
        self._model = settings.llm_model
        self._agents = agents

    def _tools(self, agent: Agent) -> list[dict[str, Any]]:
        schemas = [all_tools()[name].schema() for name in agent.tools]
        if agent.handoffs:
            handoff = all_tools()["handoff"].schema()
            handoff["function"]["parameters"]["properties"]["agent"]["enum"] = list(agent.handoffs)
            handoff["function"]["description"] += " Agents: " + "; ".join(
                f"{name}: {self._agents[name].description}" for name in agent.handoffs)
            schemas.append(handoff)
        return schemas

    async def respond(self, state: ChatState, message: str, facts: dict[str, Any], tools: ToolCaller) -> ChatReply:
        conversation: list[dict[str, Any]] = [
            {"role": "assistant" if m.role == "assistant" else "user", "content": m.text} for m in state.history]
        conversation.append({"role": "user", "content": message})
        calls: list[ToolCall] = []
        handoffs: list[str] = []
        citations: list[str] = []
        for _ in range(MAX_STEPS):
            agent = self._agents[state.active_agent]
            system = {"role": "system", "content": agent.render("instructions", **facts)}
            response = await self._client.chat.completions.create(
                model=self._model, messages=[system, *conversation], tools=self._tools(agent))
            answer = response.choices[0].message
            if not answer.tool_calls:
                return ChatReply(reply=answer.content or "", agent=state.active_agent, handoffs=handoffs,
                                 tool_calls=calls, citations=citations)
            conversation.append({"role": "assistant", "content": answer.content, "tool_calls": [
                {"id": c.id, "type": "function", "function": {"name": c.function.name,
                                                              "arguments": c.function.arguments}}
                for c in answer.tool_calls]})
            for requested in answer.tool_calls:
                call = await self._run(state, agent, requested, tools)
                calls.append(call)
                if call.name == "handoff" and call.ok:
                    handoffs.append(state.active_agent)
                if call.name == "search_knowledge_base" and call.ok:
                    citations += [p["citation"] for p in call.result["passages"]]
                content = call.result if call.ok else {"error": call.error}
                conversation.append({"role": "tool", "tool_call_id": requested.id, "content": json.dumps(content)})
        return ChatReply(reply="I'm sorry, I could not finish that. Could you say it differently?",
                         agent=state.active_agent, handoffs=handoffs, tool_calls=calls, citations=citations)

    async def _run(self, state: ChatState, agent: Agent, requested: Any, tools: ToolCaller) -> ToolCall:
        name, raw = requested.function.name, requested.function.arguments
        try:
            arguments = json.loads(raw or "{}")
        except json.JSONDecodeError:
            return ToolCall(name=name, arguments={}, ok=False, error="the arguments were not valid JSON")
        if not isinstance(arguments, dict):
            return ToolCall(name=name, arguments={}, ok=False, error="the arguments must be a JSON object")
        if name == "handoff" and arguments.get("agent") not in agent.handoffs:
            return ToolCall(name=name, arguments=arguments, ok=False,
                            error=f"{agent.name} can hand off to {', '.join(agent.handoffs)} only")
        call = await tools(name, arguments, requested.id)
        if name == "handoff" and call.ok:
            state.active_agent = arguments["agent"]
        return call
