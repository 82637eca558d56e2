"""The confirmation rule, kept on the session whatever brain is talking.

A side effect is first read back (a proposal). It is carried out only when the same tool is called
again with `confirmed=true` and the same arguments in a later caller turn, before the proposal
expires; that call claims the proposal under the session's etag, so exactly one tool-call id owns
it. The same id retried finds its claim; the same id with other arguments is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.privacy.mask import mask
from shared.sessions.model import KEPT_CLAIMS, Claim, Proposal, Session
from shared.tools.context import ToolContext


class ConflictingCallError(RuntimeError):
    """This tool-call id already carried out a side effect with other arguments."""


def digest(tool: str, arguments: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([tool, arguments], sort_keys=True).encode()).hexdigest()


def effect_instance_id(session_id: str, call_id: str) -> str:
    """The side effect's orchestration: one per session and tool call, whoever starts it."""
    return "effect-" + hashlib.sha256(f"{session_id}:{call_id}".encode()).hexdigest()[:32]


async def propose(ctx: ToolContext, tool: str, arguments: dict[str, Any], read_back: str) -> Proposal:
    """Keeps the read-back waiting for the caller's yes; it replaces an earlier one of the same tool."""
    now = datetime.now(UTC)
    proposal = Proposal(id=f"prop-{uuid.uuid4().hex[:16]}", tool=tool, digest=digest(tool, arguments),
                        read_back=mask(read_back),
                        caller_turn=ctx.session.caller_turn,
                        expires_at=now + timedelta(seconds=ctx.settings.proposal_seconds))

    def add(session: Session) -> Session:
        kept = [p for p in session.proposals if p.tool != tool and p.expires_at > now]
        return session.model_copy(update={"proposals": [*kept, proposal.model_copy(
            update={"caller_turn": session.caller_turn})]})

    await ctx.sessions.change(ctx.session.id, add)
    return proposal


async def claim(ctx: ToolContext, tool: str, arguments: dict[str, Any]) -> Claim | None:
    """The claim of this tool call on a confirmed proposal, or None when nothing confirmable waits."""
    wanted = digest(tool, arguments)
    found: list[Claim] = []

    def take(session: Session) -> Session:
        found.clear()
        earlier = next((c for c in session.claims if c.call_id == ctx.call_id), None)
        if earlier is not None:
            if earlier.digest != wanted:
                raise ConflictingCallError(ctx.call_id)
            found.append(earlier)
            return session
        now = datetime.now(UTC)
        match = next((p for p in session.proposals if p.tool == tool and p.digest == wanted
                      and p.caller_turn < session.caller_turn and p.expires_at > now), None)
        if match is None:
            return session
        mine = Claim(call_id=ctx.call_id, digest=wanted, instance_id=effect_instance_id(session.id, ctx.call_id))
        found.append(mine)
        return session.model_copy(update={"proposals": [p for p in session.proposals if p.id != match.id],
                                          "claims": [*session.claims, mine][-KEPT_CLAIMS:]})

    await ctx.sessions.change(ctx.session.id, take)
    return found[0] if found else None
