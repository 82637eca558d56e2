"""What the admin portal shows of conversations: the newest conversation orchestrations (calls and chats),
and one conversation's transcript, so far (its live state) or as recorded once it ended.

The orchestrations are the source: their custom status holds the phase, agents, tools and verification
(shared.conversation.tracking); their ids say the channel (`call-...` for a phone call, `conversation-...`
for a web chat or voice chat).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from shared.data.models import Conversation, Turn
from shared.settings import Settings

PREFIXES = {"call-": "phone", "conversation-": "chat"}
ORCHESTRATOR = "conversation_orchestrator"
RECENT = timedelta(days=7)  # how far back the list looks
MAX_PAGES = 50  # of the Durable query's pages (100 each), per prefix: a bound on one listing's reads

# (created from, instance id prefix) -> one page of statuses, oldest first (the Durable client's get_status_by)
StatusQuery = Callable[[datetime, str], Awaitable[list[Any]]]


async def recent(query: StatusQuery, now: datetime, limit: int) -> list[Any]:
    """The newest `limit` conversation orchestrations created since `now - RECENT`, newest first.

    The Durable query answers a page at a time, oldest first: each next query starts at the last one's
    creation time, and ends once a page brings nothing new (instances of that same instant come again)."""
    seen: dict[str, Any] = {}
    for prefix in PREFIXES:
        since = now - RECENT
        for _ in range(MAX_PAGES):
            fresh = [s for s in await query(since, prefix) if s.instance_id not in seen]
            if not fresh:
                break
            seen.update((s.instance_id, s) for s in fresh)
            since = max((s.created_time for s in fresh if s.created_time), default=since)
    runs = [s for s in seen.values() if s.name == ORCHESTRATOR]
    return sorted(runs, key=lambda s: (s.created_time or now, s.instance_id), reverse=True)[:limit]


def channel_of(instance_id: str) -> str:
    return next((channel for prefix, channel in PREFIXES.items() if instance_id.startswith(prefix)), "chat")


async def transcript(settings: Settings, tracked: dict[str, Any]) -> tuple[list[Turn], Conversation | None]:
    """The conversation's turns (masked, as stored) and its post-call record once there is one."""
    from shared.conversation.state import ConversationStore
    from shared.data.access import business_data
    from shared.data.cosmos import cosmos_store
    from shared.sessions.store import sessions

    if isinstance(conversation_id := tracked.get("conversation_id"), str):
        record = await (await business_data(settings)).conversations.get(conversation_id)
        if record is not None:
            return record.transcript, record
    session = await (await sessions(settings)).get(str(tracked.get("session_id") or ""))
    if session is None:  # not opened yet, or expired with nothing recorded
        return [], None
    state, _ = await ConversationStore(await cosmos_store(settings).container("sessions")).load(session.id, session.ttl)
    return [Turn(speaker="caller" if m.role == "user" else "agent", agent=None if m.role == "user" else m.agent,
                 text=m.text[:4000]) for m in state.history if m.text.strip()], None
