"""After a conversation: its record for the dashboard, beside the synthetic ones.

The transcript comes from the stored conversation state (already masked); the summary is
extractive (what the caller asked, what was done, what is pending); the topic is the synthetic
company's topic nearest to what the caller said; sentiment and outcome follow from the words and
from how the conversation ended.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import numpy as np

from shared.conversation.state import ConversationState, ConversationStore
from shared.data.access import business_data
from shared.data.cosmos import cosmos_store
from shared.data.models import Conversation, Outcome, Sentiment, Turn
from shared.settings import Settings

DONE = {"update_customer_address": "the address was updated", "create_order": "an order was placed",
        "send_email": "an email was sent", "search_knowledge_base": "the documents were consulted",
        "web_search": "the web was searched", "transfer_to_human": "a colleague was asked to take over",
        "get_purchase_history": "the purchase history was reviewed", "get_customer_profile": "the profile was read"}
NEGATIVE = re.compile(r"\b(angry|terrible|awful|frustrat\w*|unacceptable|complain\w*|disappoint\w*|useless|worst|"
                      r"ridiculous|not happy|still waiting)\b", re.I)
POSITIVE = re.compile(r"\b(thanks?|thank you|great|perfect|excellent|wonderful|appreciate\w*|helpful)\b", re.I)


def _summary(state: ConversationState, said: list[str]) -> str:
    asked = said[0] if said else "The caller did not say anything."
    done = sorted({DONE[c.name] for c in state.results if c.ok and c.name in DONE})
    parts = [f"The caller said: {asked[:300]}", f"Done: {', '.join(done)}." if done else "Nothing was changed."]
    if state.pending:
        parts.append(f"Pending: {state.pending['tool'].replace('_', ' ')} awaits the caller's confirmation.")
    return " ".join(parts)[:2000]


def _sentiment(said: list[str]) -> Sentiment:
    text = " ".join(said)
    negative, positive = len(NEGATIVE.findall(text)), len(POSITIVE.findall(text))
    if negative > positive:
        return Sentiment.NEGATIVE
    return Sentiment.POSITIVE if positive > negative else Sentiment.NEUTRAL


def _outcome(ended_as: str, state: ConversationState, tracked: dict[str, Any]) -> Outcome:
    if ended_as in ("transferred", "transfer") or tracked.get("tool_counts", {}).get("transfer_to_human"):
        return Outcome.ESCALATED
    if ended_as in ("not answered", "not connected", "timed out") or not tracked.get("turns"):
        return Outcome.ABANDONED
    return Outcome.FOLLOW_UP if state.pending else Outcome.RESOLVED


async def _topic(settings: Settings, said: list[str]) -> str:
    """The synthetic topic whose callers' openings are nearest to what this caller said."""
    from shared.knowledge.embeddings import embedder
    from shared.synthetic.catalog import TOPICS

    if not said:
        return "other"
    openings = [(t.name, re.sub(r"\{\w+\}", "it", line)) for t in TOPICS for line in t.caller]
    vectors = await embedder(settings).embed([" ".join(said)[:1000], *(line for _, line in openings)])
    best = int(np.argmax(vectors[1:] @ vectors[0]))
    return openings[best][0]


async def record(settings: Settings, tracked: dict[str, Any], began: str, ended: str, ended_as: str) -> str | None:
    from shared.sessions.store import sessions

    session = await (await sessions(settings)).get(tracked["session_id"])
    if session is None:
        return None
    state, _ = await ConversationStore(await cosmos_store(settings).container("sessions")).load(session.id, session.ttl)
    turns = [Turn(speaker="caller" if m.role == "user" else "agent", agent=None if m.role == "user" else m.agent
                  or tracked["agents"][-1], text=m.text[:4000]) for m in state.history if m.text.strip()]
    if not turns:
        return None
    said = [m.text for m in state.history if m.role == "user"]
    product = next((c.arguments.get("product_id") for c in reversed(state.results)
                    if isinstance(c.arguments.get("product_id"), str)), None)
    agents = [a for i, a in enumerate(tracked["agents"]) if i == 0 or a != tracked["agents"][i - 1]]
    duration = int((datetime.fromisoformat(ended) - datetime.fromisoformat(began)).total_seconds())
    conversation = Conversation(
        id=f"conv-{session.id.removeprefix('ses-')}", customer_id=session.customer_id or "anonymous",
        started_at=datetime.fromisoformat(began), duration_seconds=max(0, min(duration, 24 * 3600)),
        channel=session.channel, transcript=turns, summary=_summary(state, said), topic=await _topic(settings, said),
        product_id=product, agents=agents, sentiment=_sentiment(said), outcome=_outcome(ended_as, state, tracked))
    await (await business_data(settings)).conversations.record(conversation)
    return conversation.id
