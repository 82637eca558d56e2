"""Runs a tool for a session: what the HTTP tool endpoint and the tool activities share."""

from __future__ import annotations

import importlib
from typing import Any

from shared.data.access import business_data
from shared.data.cosmos import cosmos_store
from shared.settings import Settings
from shared.tools.registry import TOOLS, ToolResult, ToolSpec, invoke
from shared.tools.session import Session, Sessions, ToolContext

MODULES = ("customers", "orders", "knowledge", "web", "email", "conversation")


def all_tools() -> dict[str, ToolSpec]:
    """Every tool, registered by importing its module (on first use, not at app import)."""
    for module in MODULES:
        importlib.import_module(f"shared.tools.{module}")
    return TOOLS


async def sessions(settings: Settings) -> Sessions:
    return Sessions(await cosmos_store(settings).container("sessions"))


async def run_tool(settings: Settings, name: str, session: Session, arguments: dict[str, Any],
                   call_id: str) -> ToolResult:
    all_tools()
    context = ToolContext(session=session, data=await business_data(settings), settings=settings, call_id=call_id)
    return await invoke(name, arguments, context)
