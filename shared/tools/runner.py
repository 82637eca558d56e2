"""Runs a tool for a session: the one path every brain and transport goes through.

The safety rules live here, not in any prompt: arguments are validated, personal tools need a
verified caller, and a side effect is read back first and carried out only by a confirmed call
in a later caller turn, exactly once, by the effect runner (a Durable orchestration per tool call
in the function app).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, Protocol

from shared.data.access import business_data
from shared.sessions.model import Session
from shared.sessions.store import sessions
from shared.settings import Settings
from shared.tools.confirmation import ConflictingCallError, claim, propose
from shared.tools.context import ToolContext
from shared.tools.registry import TOOLS, ReadBack, ToolResult, ToolSpec, execute, validate

MODULES = ("identity", "customers", "orders", "cases", "knowledge", "web", "email", "conversation")
VERIFY_FIRST = ("I need to verify who you are first: please tell me two of these: your postal code, your date "
                "of birth, or the number of one of your orders")
CALL_ENDING = "The call is ending: nothing more can be done in it"
log = logging.getLogger(__name__)


class EffectRunner(Protocol):
    async def perform(self, instance_id: str, work: dict[str, Any]) -> ToolResult:
        """Carries out a confirmed side effect once per instance id; a repeat returns the first result."""
        ...


def all_tools() -> dict[str, ToolSpec]:
    """Every tool, registered by importing its module (on first use, not at app import)."""
    for module in MODULES:
        importlib.import_module(f"shared.tools.{module}")
    return TOOLS


async def _context(settings: Settings, session: Session, call_id: str, performing: bool = False) -> ToolContext:
    return ToolContext(session=session, data=await business_data(settings), settings=settings,
                       sessions=await sessions(settings), call_id=call_id, performing=performing)


def checked(name: str, arguments: dict[str, Any], verified: bool) -> tuple[ToolSpec, Any] | ToolResult:
    """The tool and its validated arguments, or the result that refuses the call: unknown tool, wrong
    arguments, or a personal tool for a caller not verified."""
    spec = all_tools().get(name)
    if spec is None:
        return ToolResult(ok=False, error=f"no tool named {name!r}")
    valid = validate(spec, arguments)
    if isinstance(valid, ToolResult):
        return valid
    if spec.personal and not verified:
        return ToolResult(ok=False, refused=True, needs_verification=True, error=VERIFY_FIRST)
    return spec, valid


def _tool_arguments(valid: Any) -> dict[str, Any]:
    """What the tool function takes: `confirmed` belongs to the runner, never to the tool."""
    return {name: value for name, value in dict(valid).items() if name != "confirmed"}


async def run_tool(settings: Settings, name: str, session: Session, arguments: dict[str, Any], call_id: str, *,
                   effects: EffectRunner) -> ToolResult:
    if session.farewell_at is not None and name != "end_call":  # a repeated end_call is answered as before
        return ToolResult(ok=False, refused=True, error=CALL_ENDING)
    found = checked(name, arguments, session.verified)
    if isinstance(found, ToolResult):
        return found
    spec, valid = found
    ctx = await _context(settings, session, call_id)
    if not spec.side_effect:
        return await execute(spec, ctx, dict(valid))
    canonical = valid.model_dump(mode="json", exclude={"confirmed"})
    if valid.confirmed:
        try:
            claimed = await claim(ctx, name, canonical)
        except ConflictingCallError:
            return ToolResult(ok=False, conflict=True, error=f"tool call {call_id} was already used with other "
                                                             "arguments")
        if claimed is not None:
            return await effects.perform(claimed.instance_id, {"tool": name, "session_id": session.id,
                                                               "call_id": call_id, "arguments": canonical})
    return await _proposal(spec, ctx, _tool_arguments(valid), canonical, valid.confirmed)


async def _proposal(spec: ToolSpec, ctx: ToolContext, arguments: dict[str, Any], canonical: dict[str, Any],
                    confirmed: bool) -> ToolResult:
    """Runs the tool's checks up to its read-back and keeps that waiting for the caller's yes."""
    try:
        outcome = await execute(spec, ctx, arguments)
    except ReadBack as asked:
        proposal = await propose(ctx, spec.name, canonical, asked.text)
        note = ("Read this back to the caller and ask for a clear yes; after they say yes, call again with "
                "confirmed=true and the same arguments.")
        if confirmed:
            note = "Nothing was done yet: the caller has not confirmed this in a later turn. " + note
        return ToolResult(ok=True, result={"status": "confirmation_required", "read_back": asked.text,
                                           "proposal_id": proposal.id, "note": note})
    if outcome.ok:  # a side-effecting tool must read back before it acts
        log.error("tool %s acted without a read-back", spec.name)
        return ToolResult(ok=False, error=f"{spec.name} is misconfigured")
    return outcome


async def perform(settings: Settings, work: dict[str, Any]) -> ToolResult:
    """A claimed side effect itself: what its durable activity runs (again after a crash: it writes idempotently)."""
    found = await (await sessions(settings)).get(work["session_id"])
    if found is None:
        return ToolResult(ok=False, error="the session is gone")
    allowed = checked(work["tool"], work["arguments"], found.verified)
    if isinstance(allowed, ToolResult):
        return allowed
    spec, valid = allowed
    ctx = await _context(settings, found, work["call_id"], performing=True)
    return await execute(spec, ctx, _tool_arguments(valid))


class InlineEffects:
    """Carries out a confirmed effect in this process: for code already inside a durable activity."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def perform(self, instance_id: str, work: dict[str, Any]) -> ToolResult:
        return await perform(self._settings, work)
