"""The tool port of the media container: tools run in the function app, over HTTP, under the call's session.

Every call carries its tool-call id, so a retry after a lost answer gets the first result instead of
running twice; a refusal or an unreachable function app comes back as a result the agent can explain.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx

from media.function_app_client import CallSession, FunctionAppClient
from shared.tools.registry import ToolResult

log = logging.getLogger(__name__)
UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")
ATTEMPTS = 2  # the same tool-call id twice at most: the second finds the first's result


class HttpToolPort:
    def __init__(self, client: FunctionAppClient, session: CallSession) -> None:
        self._client, self._session = client, session

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        headers = {"x-tool-call-id": UNSAFE.sub("_", call_id)[:128]}
        for attempt in range(ATTEMPTS):
            try:
                answer = await self._client.post(self._session, f"/api/tools/{name}", arguments, headers)
            except httpx.TransportError as error:
                log.warning("tool %s (%s): attempt %d failed: %s", name, call_id, attempt + 1, type(error).__name__)
                continue
            if answer.status_code in (200, 400, 409) and answer.headers.get("content-type", "").startswith(
                    "application/json"):
                body = answer.json()
                if "ok" in body:
                    return ToolResult.model_validate(body)
            if answer.status_code == 401:
                return ToolResult(ok=False, error="the call's session has ended")
            log.warning("tool %s (%s) answered %d", name, call_id, answer.status_code)
            return ToolResult(ok=False, error=f"{name} is not available right now")
        return ToolResult(ok=False, error=f"{name} could not be reached")

    async def caller_turn(self) -> None:
        await self._quietly("/api/sessions/turn")

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        if proposal_ids:
            await self._quietly("/api/sessions/proposals/drop", {"proposal_ids": proposal_ids})

    async def _quietly(self, path: str, body: Any = None) -> None:
        try:
            answer = await self._client.post(self._session, path, body)
            if answer.status_code >= 400:
                log.warning("%s answered %d for session %s", path, answer.status_code, self._session.session_id)
        except httpx.HTTPError as error:
            log.warning("%s failed for session %s: %s", path, self._session.session_id, type(error).__name__)
