"""CPU-bound pure-Python work (pypdf, the offline generator) off the event loop, in a worker process.

Such code holds the GIL: run in a thread it still stalls the loop at every switch. Measured on 2
cores shared with other jobs (`bench/loop_lag.py`), loop lag while pypdf read 1000 pages: from a
thread p50 1-7 ms, p95 18-38 ms, max 0.06-0.15 s; from a process p50 0.3-1.6 ms, p95 3-9 ms, max
10-27 ms (the generator alike). Native code that releases the GIL (onnxruntime, SQLite) stays in
threads. One pool per process, started on first use, with one worker fewer than the cores (at
least one) at background priority, so that the loop keeps a core and wins it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Result = TypeVar("Result")
BACKGROUND_NICENESS = 10
_pool: ProcessPoolExecutor | None = None
_starting = threading.Lock()


def background_priority() -> None:
    """Lowers the calling thread's CPU priority (Linux: per thread), so that the loop wins the cores."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, 0, min(19, os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS))


def _worker_started(owner: int) -> None:
    background_priority()
    threading.Thread(target=_leave_with, args=(owner,), name="owner-watch", daemon=True).start()


def _leave_with(owner: int) -> None:
    """A worker's queues hold both ends of their pipes, so when its owner dies without shutting the pool
    down (killed, crashed) no end-of-file ever comes and the worker, with its fork server, would wait for
    work for good. It leaves once its owner is gone."""
    while True:
        time.sleep(1)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)


def _context() -> multiprocessing.context.BaseContext:
    """Never a plain fork: forking a process that runs threads (onnxruntime's, the host's) can hang
    the child. A fork server, where there is one, forks workers from a clean process that has
    imported what they run already; elsewhere each worker is spawned and imports it itself."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["shared.knowledge.chunks", "shared.synthetic.offline"])
    return context


def _started() -> ProcessPoolExecutor:
    """The pool with its workers running. Called in a thread: starting a worker waits for the fork
    server's imports (~1 s), which on the loop would stall it just as the work begins."""
    global _pool  # noqa: PLW0603 (one pool per process)
    with _starting:
        if _pool is None:
            workers = max(1, (os.cpu_count() or 2) - 1)
            pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_worker_started,
                                       initargs=(os.getpid(),))
            for started in [pool.submit(int) for _ in range(workers)]:
                started.result()
            _pool = pool
        return _pool


async def in_process(function: Callable[..., Result], *args: object) -> Result:
    """`function(*args)` in a worker process; function, arguments and result must pickle."""
    global _pool  # noqa: PLW0603
    try:
        pool = _pool or await asyncio.to_thread(_started)
        return await asyncio.get_running_loop().run_in_executor(pool, function, *args)
    except BrokenProcessPool:
        _pool = None  # a worker died (killed, out of memory): the next call starts a new pool
        raise
