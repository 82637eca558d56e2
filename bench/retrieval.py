"""Retrieval quality of the offline knowledge base, on the sample corpus and on the hard set.

For each corpus and split: recall@5 and MRR@10 by page (exact, and within one page of the expected
one) of the questions some document answers, the same by document, and, for the questions none
answers, no-answer precision (of the questions refused, the share that no document answers) and
recall (the share of those questions refused). A question is refused when no hit clears the
relevance floor (LOCAL_SEARCH_MIN_RELEVANCE). The hard set (bench/hard_corpus.py) is tuned on its
dev split and reported on its test split.

Run: .venv/bin/python bench/retrieval.py          (all figures)
     .venv/bin/python bench/retrieval.py --fit    (refits the reranker and the floor on the dev split)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import hard_corpus  # noqa: E402
from local import sample_corpus  # noqa: E402
from shared.knowledge import ranking  # noqa: E402
from shared.knowledge.base import KnowledgeBase, by_page  # noqa: E402
from shared.knowledge.embeddings import MiniLmEmbedder  # noqa: E402
from shared.knowledge.index import LocalHybridIndex, always_current  # noqa: E402
from shared.knowledge.query import focus  # noqa: E402
from shared.settings import Settings  # noqa: E402

TARGETS = {"recall@5 page+-1": 0.9, "recall@5 page": 0.75, "MRR@10 page": 0.75, "no-answer precision": 0.9}


async def indexed(workdir: Path, build, embedder: MiniLmEmbedder) -> tuple[KnowledgeBase, list[dict]]:
    documents = build(workdir / "corpus")
    base = KnowledgeBase(embedder, LocalHybridIndex(workdir / "index.sqlite3", embedder.dimensions))
    for path in documents:
        await base.ingest(path.name, path.read_bytes(), always_current)
    return base, json.loads((workdir / "corpus" / "questions.json").read_text())


def scores(results: list[tuple[dict, list]], floor: float) -> dict[str, float]:
    """The figures of (question, unfloored hits) pairs at a floor."""
    answerable = [(q, [h for h in hits if h.relevance >= floor]) for q, hits in results if q["document"]]
    unanswerable = [(q, [h for h in hits if h.relevance >= floor]) for q, hits in results if not q["document"]]
    figures: dict[str, float] = {}
    for name, match in (("page", lambda h, q: h.page == q["page"]),
                        ("page+-1", lambda h, q: abs(h.page - q["page"]) <= 1),
                        ("document", lambda h, q: True)):
        ranks = [next((r for r, h in enumerate(hits[:10], 1) if h.document == q["document"] and match(h, q)), None)
                 for q, hits in answerable]
        figures[f"recall@5 {name}"] = sum(1 for r in ranks if r and r <= 5) / max(len(ranks), 1)
        figures[f"MRR@10 {name}"] = sum(1 / r for r in ranks if r) / max(len(ranks), 1)
    refused_right = sum(1 for _, hits in unanswerable if not hits)
    refused = refused_right + sum(1 for _, hits in answerable if not hits)
    figures["no-answer precision"] = refused_right / refused if refused else 1.0
    figures["no-answer recall"] = refused_right / len(unanswerable) if unanswerable else 1.0
    return figures


async def run(base: KnowledgeBase, questions: list[dict]) -> list[tuple[dict, list]]:
    return [(q, await base.search(q["question"], top=10, min_relevance=0.0)) for q in questions]


def report(label: str, results: list[tuple[dict, list]], floor: float) -> None:
    figures = scores(results, floor)
    answerable = sum(1 for q, _ in results if q["document"])
    print(f"{label} ({answerable} answerable, {len(results) - answerable} not): " + ", ".join(
        f"{name} {value:.3f}" for name, value in figures.items()))


def misses(results: list[tuple[dict, list]], floor: float) -> None:
    for q, hits in results:
        kept = [h for h in hits if h.relevance >= floor][:5]
        right = any(h.document == q["document"] and abs(h.page - q["page"]) <= 1 for h in kept) if q["document"] \
            else not kept
        if not right:
            print(f"  miss [{q.get('kind', '')}] {q['question'][:90]} -> {q['document']} p{q['page']}: "
                  f"{[(h.document[:18], h.page, h.relevance) for h in kept[:3]]}")


async def candidates(index: LocalHybridIndex, questions: list[dict], embedder: MiniLmEmbedder) -> list[tuple]:
    found = []
    for q in questions:
        asked = focus(q["question"])
        scored = index.candidates(asked, (await embedder.embed([asked]))[0])
        found.append((q, [hit for hit, _ in scored], np.array([features for _, features in scored])))
    return found


def fused_only(cases: list[tuple]) -> list[tuple[dict, list]]:
    """Without the reranker: the fusion's order, the cosine as relevance (what the index did before)."""
    return [(q, by_page([hits[i].model_copy(update={"relevance": float(features[i][0])})
                         for i in np.argsort([-h.score for h in hits], kind="stable")])) for q, hits, features in cases]


def best_floor(results: list[tuple[dict, list]]) -> float:
    return max(np.arange(0.02, 0.9, 0.01), key=lambda floor: sum(scores(results, floor)[k] for k in (
        "recall@5 page+-1", "MRR@10 page", "no-answer precision", "no-answer recall")))


def reranked(cases: list[tuple], weights: tuple[float, ...]) -> list[tuple[dict, list]]:
    results = []
    for q, hits, features in cases:
        z = weights[0] + features @ np.array(weights[1:])
        results.append((q, by_page([hits[i].model_copy(update={"relevance": float(1 / (1 + np.exp(-z[i])))})
                                    for i in np.argsort(-z, kind="stable")])))
    return results


async def fit(dev: tuple[LocalHybridIndex, list[dict]], sample: tuple[LocalHybridIndex, list[dict]],
              embedder: MiniLmEmbedder) -> None:
    """Grid search of the reranker's weights and the floor on the dev split: the bias is fixed (the
    floor moves with it), each setting ranks every question's candidates again and is scored on
    recall@5 (page within one), MRR@10 (exact page) and both no-answer figures at its best floor,
    among the settings that keep the sample corpus at recall@5 1.0 (what it had before)."""
    dev_cases, sample_cases = await candidates(*dev, embedder), await candidates(*sample, embedder)
    best: tuple[float, tuple, float] = (-1.0, (), 0.0)
    for w_cosine, w_covered, w_named in itertools.product((6, 8, 10, 12, 14), (0, 1, 2, 3.5, 5), (1, 2.5, 4, 6)):
        weights = (-9.0, w_cosine, w_covered, w_named)
        results, guard = reranked(dev_cases, weights), reranked(sample_cases, weights)
        for floor in np.arange(0.02, 0.6, 0.01):
            if scores(guard, floor)["recall@5 page"] < 1.0:
                break
            figures = scores(results, floor)
            value = sum(figures[k] for k in ("recall@5 page+-1", "MRR@10 page", "no-answer precision",
                                             "no-answer recall"))
            if value > best[0]:
                best = (value, weights, round(float(floor), 3))
    print(f"best on dev: WEIGHTS = {best[1]}, floor {best[2]} (sum of the four figures {best[0]:.3f})")


async def compare(dev: tuple[LocalHybridIndex, list[dict]], test: tuple[LocalHybridIndex, list[dict]],
                  embedder: MiniLmEmbedder) -> None:
    """The test split with and without the reranker, each at the floor best for it on the dev split."""
    dev_cases, test_cases = await candidates(*dev, embedder), await candidates(*test, embedder)
    for label, rank in (("fusion only, cosine floor", fused_only),
                        ("with the reranker", lambda cases: reranked(cases, ranking.WEIGHTS))):
        floor = best_floor(rank(dev_cases))
        report(f"hard set, test split, {label} {floor:.2f}", rank(test_cases), floor)


async def evaluate(arguments: argparse.Namespace) -> None:
    embedder = MiniLmEmbedder()
    floor = Settings(_env_file=None).local_search_min_relevance if arguments.floor is None else arguments.floor
    with tempfile.TemporaryDirectory() as workdir:
        sample_base, sample_questions = await indexed(Path(workdir) / "sample", sample_corpus.build, embedder)
        sample = await run(sample_base, sample_questions)
        hard_base, hard_questions = await indexed(Path(workdir) / "hard", hard_corpus.build, embedder)
        hard = {split: await run(hard_base, [q for q in hard_questions if q["split"] == split])
                for split in ("dev", "test")}
        split = {name: [q for q in hard_questions if q["split"] == name] for name in ("dev", "test")}
        await compare((hard_base._index, split["dev"]), (hard_base._index, split["test"]), embedder)
        if arguments.fit:
            await fit((hard_base._index, [q for q in hard_questions if q["split"] == "dev"]),
                      (sample_base._index, sample_questions), embedder)
    print(f"relevance floor {floor} (LOCAL_SEARCH_MIN_RELEVANCE), reranker weights {ranking.WEIGHTS}")
    report("sample corpus", sample, floor)
    for split in ("dev", "test"):
        report(f"hard set, {split} split", hard[split], floor)
        by_kind: dict[str, list] = defaultdict(list)
        for item in hard[split]:
            by_kind[item[0]["kind"]].append(item)
        for kind, items in sorted(by_kind.items()):
            report(f"    {kind}", items, floor)
    if arguments.misses:
        misses(sample if arguments.misses == "sample" else hard[arguments.misses], floor)
    print("floor sweep: dev recall@5 page+-1 / no-answer precision / recall; sample recall@5 page")
    for candidate in np.arange(0.05, 0.41, 0.025):
        figures = scores(hard["dev"], candidate)
        print(f"  {candidate:.3f}: {figures['recall@5 page+-1']:.3f} / {figures['no-answer precision']:.3f} / "
              f"{figures['no-answer recall']:.3f}; {scores(sample, candidate)['recall@5 page']:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true", help="refit the reranker and the floor on the dev split")
    parser.add_argument("--floor", type=float, help="a floor other than the setting's")
    parser.add_argument("--misses", choices=("sample", "dev", "test"), help="print the misses of a split")
    asyncio.run(evaluate(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
