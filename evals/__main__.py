"""`python -m evals`: runs the scenarios with the offline brain (the LLM brain when LLM_BASE_URL names an
OpenAI-compatible endpoint), prints the table and the figures of each split, and writes the HTML report
(default .local/eval/report.html)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from evals import report, runner
from evals.scenarios import SPLITS, load
from evals.world import Knowledge, World
from shared.agents.definitions import agents
from shared.agents.offline_brain import IntentModel, OfflineBrain
from shared.conversation.runtime import Brain
from shared.knowledge.embeddings import MiniLmEmbedder
from shared.settings import Settings


def brain(embedder: MiniLmEmbedder) -> Brain:
    settings = Settings()
    if settings.llm_base_url:
        from shared.agents.llm_brain import LlmBrain

        return LlmBrain(settings)
    return OfflineBrain(IntentModel(embedder, agents()))


async def main(splits: tuple[str, ...], out: Path, only: str | None) -> None:
    embedder = MiniLmEmbedder()
    talker, knowledge = brain(embedder), Knowledge(embedder)
    scenarios = [s for s in load(splits) if only is None or only in s.id]
    await runner.run(scenarios[:1], talker, World.load(), knowledge)  # warms the models: not a caller's latency
    results = await runner.run(scenarios, talker, World.load(), knowledge)
    print(runner.table(results))
    summaries = [runner.summary(split, runner.figures([r for r in results if r.scenario.split == split]))
                 for split in splits]
    print("\n".join(summaries))
    report.write(out, results, summaries)
    print(f"report: {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--only", help="run the scenarios whose id contains this")
    parser.add_argument("--report", type=Path, default=Path(".local/eval/report.html"))
    args = parser.parse_args()
    asyncio.run(main(SPLITS if args.split == "all" else (args.split,), args.report, args.only))
