"""How long the event loop stalls while CPU-bound work runs beside it: a thread or a worker process.

Prints the loop's lag (how late a 10 ms sleep wakes) while pypdf reads a 1000-page PDF and while
the offline generator writes 20 batches of conversations, each from a thread and from the worker
process (`shared.offloop`), while MiniLM embeds 100 pages' chunks on 1 and 2 onnxruntime threads,
and during a whole 100-page ingestion as the product runs it.
Run: .venv/bin/python bench/loop_lag.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.sample_corpus import CARE_ITEMS, RETURNS, SHIPPING, WARRANTY, pdf  # noqa: E402
from shared.knowledge.base import KnowledgeBase  # noqa: E402
from shared.knowledge.chunks import pieces  # noqa: E402
from shared.knowledge.embeddings import MiniLmEmbedder  # noqa: E402
from shared.knowledge.index import LocalHybridIndex, always_current  # noqa: E402
from shared.offloop import in_process  # noqa: E402
from shared.synthetic.offline import generate_conversations  # noqa: E402
from shared.synthetic.spec import CompanySpec  # noqa: E402

SENTENCES = [s.strip() + "." for _, body in CARE_ITEMS + RETURNS + WARRANTY + SHIPPING
             for s in body.split(".") if s.strip()]
SPEC = CompanySpec(name="Contoso", industry="outdoor gear", customers=1000, products=200, purchases=10000,
                   conversations=5000, seed=1)


def manual(path: Path, pages: int) -> bytes:
    rng = random.Random(pages)
    pdf(path, "Field manual", [(f"Section {n}", " ".join(rng.choice(SENTENCES) for _ in range(12)))
                               for n in range(1, pages + 1)])
    return path.read_bytes()


async def lag_during(work: Callable[[], Awaitable[object]]) -> str:
    lags: list[float] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            began = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - began - 0.01)

    watcher = asyncio.create_task(watch())
    began = time.perf_counter()
    await work()
    seconds = time.perf_counter() - began
    done.set()
    await watcher
    lags.sort()
    return (f"{seconds:5.2f} s, loop lag p50 {statistics.median(lags) * 1000:5.1f} ms, "
            f"p95 {lags[int(len(lags) * 0.95)] * 1000:6.1f} ms, max {lags[-1] * 1000:6.1f} ms")


async def generate(run: Callable[..., Awaitable[object]]) -> None:
    for batch in range(20):
        await run(generate_conversations, SPEC, batch * 25, 25)


async def main(workdir: Path) -> None:
    big, manual_100 = manual(workdir / "big.pdf", 1000), manual(workdir / "manual.pdf", 100)
    await in_process(pieces, "warm.txt", b"warm")  # starts the worker process

    async def thread(function: Callable[..., object], *args: object) -> object:
        return await asyncio.to_thread(function, *args)

    print("pypdf, 1000 pages, thread: ", await lag_during(lambda: thread(pieces, "big.pdf", big)))
    print("pypdf, 1000 pages, process:", await lag_during(lambda: in_process(pieces, "big.pdf", big)))
    print("generator, 500 conversations, thread: ", await lag_during(lambda: generate(thread)))
    print("generator, 500 conversations, process:", await lag_during(lambda: generate(in_process)))
    texts = [c.text for c in pieces("manual.pdf", manual_100)]
    for threads in (1, 2):
        embedder = MiniLmEmbedder(threads)
        embedder.embed_now(["warm"])
        print(f"embedding {len(texts)} chunks, {threads} onnxruntime thread(s):",
              await lag_during(lambda: embedder.embed(texts)))  # noqa: B023 (awaited in the loop)
    embedder = MiniLmEmbedder()
    base = KnowledgeBase(embedder, LocalHybridIndex(workdir / "index.sqlite3", embedder.dimensions))
    print("ingestion of 100 pages:", await lag_during(lambda: base.ingest("manual.pdf", manual_100, always_current)))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(main(Path(directory)))
