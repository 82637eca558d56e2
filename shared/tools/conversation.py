"""Tools that steer the conversation: summaries, handoffs between agents, a human, hanging up."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from shared.tools.context import ToolContext
from shared.tools.registry import ToolRefusedError, tool

AgentName = Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]
Reason = Annotated[str, Field(min_length=1, max_length=300)]


@tool(timeout_seconds=20.0)
async def summarize_conversation(ctx: ToolContext) -> dict[str, Any]:
    """Summarises this conversation so far: what the caller asked for, what was done, what is still open.
    It reads the stored conversation itself: pass nothing."""
    from shared.conversation.state import ConversationStore
    from shared.conversation.summary import summarize
    from shared.data.cosmos import cosmos_store

    store = ConversationStore(await cosmos_store(ctx.settings).container("sessions"))
    state, _ = await store.load(ctx.session.id, ctx.session.ttl)
    return await summarize(ctx.settings, state)


@tool()
async def handoff(ctx: ToolContext, *, agent: AgentName, reason: Reason) -> dict[str, Any]:
    """Hands the caller to another agent, who continues the same conversation."""
    return {"handoff": agent, "reason": reason}


@tool(timeout_seconds=10.0, acts_at_once=True)
async def transfer_to_human(ctx: ToolContext, *, reason: Reason) -> dict[str, Any]:
    """Transfers the call to a human agent when the caller asks for one or the agents cannot help."""
    if ctx.session.channel == "phone":
        from shared.calls.answering import transfer

        asked = await transfer(ctx.settings, ctx.session.call_instance_id)
        if not asked["ok"]:  # the caller stays with the agent, who says why
            raise ToolRefusedError(f"I could not transfer you ({asked['reason']}), but I am still here to help")
    return {"transfer": True, "reason": reason}


@tool(acts_at_once=True)
async def end_call(ctx: ToolContext, *, reason: Reason) -> dict[str, Any]:
    """Ends the call after saying goodbye, once the caller has nothing more to ask."""
    if ctx.session.channel == "phone":  # the goodbye is still to be heard: the call is hung up after it
        await ctx.sessions.bid_farewell(ctx.session.id)
    else:
        await ctx.sessions.end(ctx.session.id)  # its token opens nothing from now on
    return {"end_call": True, "reason": reason}
