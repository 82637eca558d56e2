"""Time to the first delta and to the end of a turn on the conversation runtime, p50/p95, and the runtime's
own overhead over the model's time (target: p95 <= 5 ms per turn).

Two brains: a scripted streaming model at a fixed token rate (its own time is measured alone in the
same run, so the difference is the runtime's), and the offline brain (MiniLM intents) with tools
answered in memory, so only the runtime and the policy are timed.
Run: .venv/bin/python bench/turn_text.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.agents.definitions import agents
from shared.conversation import tool_loop
from shared.conversation.events import TextDelta
from shared.conversation.runtime import Conversation
from shared.conversation.state import ConversationState
from shared.settings import Settings
from shared.tools.registry import ToolResult

TURNS = 60
TOKENS, TOKEN_SECONDS = 24, 0.004  # about 250 tokens/s, a fast hosted model
TARGET_MS = 5.0
FACTS = {"company": "Contoso", "customer": {"first_name": "Ada", "last_name": "Lovelace", "loyalty_tier": "gold"}}
PRODUCTS = [{"id": f"prod-{i}", "name": f"Trail Tent {i}", "category": "tents", "price": 100.0 + i,
             "currency": "USD", "in_stock": 5} for i in range(10)]


class PacedModel:
    async def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> AsyncIterator[str]:
        for i in range(TOKENS):
            await asyncio.sleep(TOKEN_SECONDS)
            yield f"word{i}, " if i % 6 == 5 else f"word{i} "


class MemoryPort:
    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        return ToolResult(ok=True, result=PRODUCTS if name == "list_products" else {"handoff": arguments.get("agent")})

    async def caller_turn(self) -> None:
        return None

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        return None


class MemoryStore:
    async def save(self, state: ConversationState, etag: str | None) -> str:
        state.model_dump(mode="json")  # what a real save serialises
        return "etag"


class ModelBrain:
    async def respond(self, turn: Any) -> None:
        await tool_loop.run(PacedModel(), turn)


async def model_alone() -> float:
    began = time.perf_counter()
    async for _ in PacedModel().stream([], []):
        pass
    return time.perf_counter() - began


async def timed_turns(brain: Any, message: str) -> tuple[list[float], list[float]]:
    firsts, totals = [], []
    for _ in range(TURNS):
        state = ConversationState(id="chat-ses-bench", session_id="ses-bench")
        talk = Conversation(agents=agents(), brain=brain, port=MemoryPort(), store=MemoryStore(), state=state,
                            etag=None, facts=FACTS)
        began = time.perf_counter()
        turn = asyncio.create_task(talk.turn(message))
        while not isinstance(await talk.events.get(), TextDelta):
            pass
        firsts.append(time.perf_counter() - began)
        await turn
        totals.append(time.perf_counter() - began)
    return firsts, totals


def summary(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"{label} p50 {statistics.median(ms):.1f} ms, p95 {statistics.quantiles(ms, n=20)[18]:.1f} ms"


async def main() -> int:
    alone = [await model_alone() for _ in range(TURNS)]
    firsts, totals = await timed_turns(ModelBrain(), "hello")
    overhead = sorted(t - a for t, a in zip(sorted(totals), sorted(alone), strict=True))
    p95 = statistics.quantiles([o * 1000 for o in overhead], n=20)[18]
    print(f"scripted model, {TOKENS} tokens at {TOKEN_SECONDS * 1000:g} ms each, {TURNS} turns:")
    print(f"  {summary('model alone', alone)}")
    print(f"  {summary('first delta', firsts)}; {summary('end of turn', totals)}")
    print(f"  runtime overhead p50 {statistics.median(overhead) * 1000:.2f} ms, p95 {p95:.2f} ms "
          f"(target p95 <= {TARGET_MS:g} ms)")

    from shared.agents.offline_brain import IntentModel, OfflineBrain
    from shared.knowledge.embeddings import embedder

    offline = OfflineBrain(IntentModel(embedder(Settings()), agents()))
    await timed_turns(offline, "what do you sell")  # warm-up: the model and the example vectors
    firsts, totals = await timed_turns(offline, "which products do you have in stock")
    print(f"offline brain (intent + catalog tool in memory), {TURNS} turns:")
    print(f"  {summary('first delta', firsts)}; {summary('end of turn', totals)}")
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
