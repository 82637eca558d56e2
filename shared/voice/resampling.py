"""PCM16 between the call's rate and the models' (soxr streams: no clicks at chunk edges)."""

from __future__ import annotations

import numpy as np
import soxr


class Resampler:
    """One direction of one call: int16 PCM in, float32 [-1, 1] or int16 PCM out, chunk by chunk."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        self.in_rate, self.out_rate = in_rate, out_rate
        self._stream = soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32", quality="HQ") \
            if in_rate != out_rate else None

    def floats(self, pcm: bytes, last: bool = False) -> np.ndarray:
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        return samples if self._stream is None else self._stream.resample_chunk(samples, last=last)

    def pcm(self, pcm: bytes, last: bool = False) -> bytes:
        return to_pcm(self.floats(pcm, last))


def to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def resample_pcm(pcm: bytes, in_rate: int, out_rate: int) -> bytes:
    """A whole clip at once (a synthesised clause)."""
    return pcm if in_rate == out_rate else Resampler(in_rate, out_rate).pcm(pcm, last=True)
