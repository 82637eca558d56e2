"""Retrieval quality on the sample corpus: recall@5 and MRR of the expected (document, page).

Run: .venv/bin/python bench/retrieval.py   (target: recall@5 >= 0.9)
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.sample_corpus import build  # noqa: E402
from shared.knowledge.base import KnowledgeBase  # noqa: E402
from shared.knowledge.embeddings import MiniLmEmbedder  # noqa: E402
from shared.knowledge.index import LocalHybridIndex, always_current  # noqa: E402

TARGET_RECALL = 0.9


async def evaluate(workdir: Path) -> tuple[float, float, list[str]]:
    documents = build(workdir / "corpus")
    embedder = MiniLmEmbedder()
    base = KnowledgeBase(embedder, LocalHybridIndex(workdir / "index.sqlite3", embedder.dimensions))
    for path in documents:
        await base.ingest(path.name, path.read_bytes(), always_current)
    questions = json.loads((workdir / "corpus" / "questions.json").read_text())
    found, reciprocal, misses = 0, 0.0, []
    for item in questions:
        hits = await base.search(item["question"], top=5)
        ranks = [rank for rank, hit in enumerate(hits, 1)
                 if (hit.document, hit.page) == (item["document"], item["page"])]
        if ranks:
            found += 1
            reciprocal += 1 / ranks[0]
        else:
            misses.append(f"{item['question']} -> {[(h.document, h.page) for h in hits]}")
    return found / len(questions), reciprocal / len(questions), misses


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        recall, mrr, misses = asyncio.run(evaluate(Path(workdir)))
    for miss in misses:
        print(f"  missed: {miss}")
    print(f"recall@5 {recall:.3f} (target >= {TARGET_RECALL}), MRR {mrr:.3f}")
    return 0 if recall >= TARGET_RECALL else 1


if __name__ == "__main__":
    sys.exit(main())
