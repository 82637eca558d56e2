"""Where a call's transcript goes while it happens: to the function app (the conversation's state, which the
post-call record reads, and its orchestration) and to the web clients watching calls live."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

import httpx

from media.function_app_client import CallSession, FunctionAppClient
from shared.conversation.events import CallerSaid, HandedOff, OutEvent, TurnEnded

log = logging.getLogger(__name__)
WATCHER_BACKLOG = 256  # lines a slow watcher may fall behind before it misses some


class LiveFeed:
    """Transcript lines of every call in this process, to whoever watches (the web UI's /calls/live)."""

    def __init__(self) -> None:
        self._watchers: set[asyncio.Queue[dict[str, Any]]] = set()

    def watch(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(WATCHER_BACKLOG)
        self._watchers.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._watchers.discard(queue)

    def publish(self, line: dict[str, Any]) -> None:
        for queue in self._watchers:
            with contextlib.suppress(asyncio.QueueFull):  # a slow watcher misses lines; the call never waits
                queue.put_nowait(line)


class CallReporter:
    """Turns one call's engine events into transcript lines (speaker, agent, text, time) and sends them on, in
    order, without ever holding the call up."""

    def __init__(self, call_id: str, client: FunctionAppClient, session: CallSession, feed: LiveFeed) -> None:
        self._call_id, self._client, self._session, self._feed = call_id, client, session, feed
        self._outbox: list[dict[str, Any]] = []
        self._handoffs: list[str] = []
        self._wake = asyncio.Event()
        self._closing = False
        self._sender = asyncio.create_task(self._send_all())
        self.lines: list[dict[str, Any]] = []

    async def __call__(self, event: OutEvent) -> None:
        match event:
            case CallerSaid(text=text):
                self._line("caller", None, text)
            case TurnEnded(said=said, agent=agent) if said:
                self._line("agent", agent, said)
            case HandedOff(target=target):
                self._handoffs.append(target)
                self._wake.set()

    def _line(self, speaker: str, agent: str | None, text: str) -> None:
        line = {"speaker": speaker, "agent": agent, "text": text, "at": datetime.now(UTC).isoformat()}
        self.lines.append(line)
        self._outbox.append(line)
        self._feed.publish({"call_id": self._call_id, **line})
        self._wake.set()

    async def _send_all(self) -> None:
        while not self._closing:
            await self._wake.wait()
            self._wake.clear()
            while self._outbox or self._handoffs:
                lines, handoffs = self._outbox[:50], self._handoffs
                self._handoffs = []
                del self._outbox[:len(lines)]
                try:
                    answer = await self._client.post(self._session, "/api/sessions/transcript",
                                                     {"lines": lines, "handoffs": handoffs})
                    if answer.status_code >= 400:
                        log.warning("call %s: %d transcript lines refused (%d)", self._call_id, len(lines),
                                    answer.status_code)
                except httpx.HTTPError as error:
                    log.warning("call %s: %d transcript lines not delivered: %s", self._call_id, len(lines),
                                type(error).__name__)

    async def flush(self, timeout_seconds: float = 10.0) -> None:
        """Sends what is still queued (the call is ending), then stops."""
        self._closing = True
        self._wake.set()
        try:
            await asyncio.wait_for(self._sender, timeout_seconds)
        except TimeoutError:
            log.warning("call %s: %d transcript lines left unsent", self._call_id, len(self._outbox))
