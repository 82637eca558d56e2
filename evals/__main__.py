"""`python -m evals`: runs the scenarios with the offline brain (the LLM brain when LLM_BASE_URL names an
OpenAI-compatible endpoint), prints the table and the figures of each split, and writes the HTML report
(default .local/eval/report.html). `--over-http` runs them through a real local host's text channel instead."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from evals import report, runner
from evals.scenarios import SPLITS, Scenario, load
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


async def in_process(scenarios: list[Scenario]) -> list[runner.ScenarioScore]:
    embedder = MiniLmEmbedder()
    talker, knowledge = brain(embedder), Knowledge(embedder)
    await runner.run(scenarios[:1], talker, World.load(), knowledge)  # warms the models: not a caller's latency
    return await runner.run(scenarios, talker, World.load(), knowledge)


def main(splits: tuple[str, ...], out: Path, only: str | None, over_http: bool) -> None:
    scenarios = [s for s in load(splits) if only is None or only in s.id]
    if over_http:
        from evals.over_http import serve_and_run

        with tempfile.TemporaryDirectory(prefix="eval-http-") as folder:
            results = serve_and_run(scenarios, World.load(), Path(folder))
    else:
        results = asyncio.run(in_process(scenarios))
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
    parser.add_argument("--over-http", action="store_true",
                        help="through the text channel of a real local host (its own stack on free ports) instead of "
                             "in process; the end state is read from its Cosmos DB stand-in")
    args = parser.parse_args()
    main(SPLITS if args.split == "all" else (args.split,), args.report, args.only, args.over_http)
