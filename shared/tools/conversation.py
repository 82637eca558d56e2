"""Tools that steer the conversation: summaries, handoffs between agents, a human, hanging up."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

AgentName = Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]
Reason = Annotated[str, Field(min_length=1, max_length=300)]


@tool()
async def summarize_conversation(ctx: ToolContext, *, transcript: Annotated[list[str], Field(min_length=1)]
                                 ) -> dict[str, Any]:
    """Summarises the conversation so far in two sentences: what the caller wanted and what was done."""
    asked = next((line for line in transcript if line.lower().startswith("caller:")), transcript[0])
    done = next((line for line in reversed(transcript) if line.lower().startswith("agent:")), transcript[-1])
    return {"summary": f"{asked.split(':', 1)[-1].strip()} {done.split(':', 1)[-1].strip()}"}


@tool()
async def handoff(ctx: ToolContext, *, agent: AgentName, reason: Reason) -> dict[str, Any]:
    """Hands the caller to another agent, who continues the same conversation."""
    return {"handoff": agent, "reason": reason}


@tool(timeout_seconds=10.0)
async def transfer_to_human(ctx: ToolContext, *, reason: Reason) -> dict[str, Any]:
    """Transfers the call to a human agent when the caller asks for one or the agents cannot help."""
    if ctx.session.channel == "phone":
        from shared.calls.answering import transfer

        asked = await transfer(ctx.settings, ctx.session.call_instance_id)
        if not asked["ok"]:  # the caller stays with the agent, who says why
            raise ToolRefusedError(f"I could not transfer you ({asked['reason']}), but I am still here to help")
    return {"transfer": True, "reason": reason}


@tool()
async def end_call(ctx: ToolContext, *, reason: Reason) -> dict[str, Any]:
    """Ends the call after saying goodbye, once the caller has nothing more to ask."""
    await ctx.sessions.end(ctx.session.id)  # its token opens nothing from now on
    return {"end_call": True, "reason": reason}
