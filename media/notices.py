"""What the caller hears when no engine can speak for the agent: short recorded notices (espeak-ng, once,
kept as WAV files in media/assets), in base64 PCM16 at the call's rate."""

from __future__ import annotations

import base64
import wave
from functools import cache
from pathlib import Path

import numpy as np

ASSETS = Path(__file__).parent / "assets"
ENGINE_LOST = "engine-lost"  # "Sorry, we lost the connection. Please call again in a moment."


@cache
def notice(name: str, sample_rate: int) -> str:
    """The recording resampled (linearly: speech, not music) to `sample_rate`, as base64 PCM16LE mono."""
    with wave.open(str(ASSETS / f"{name}.wav")) as recording:
        rate = recording.getframerate()
        pcm = np.frombuffer(recording.readframes(recording.getnframes()), "<i2").astype(np.float32)
    count = int(len(pcm) * sample_rate / rate)
    resampled = np.interp(np.arange(count) * rate / sample_rate, np.arange(len(pcm)), pcm)
    return base64.b64encode(resampled.astype("<i2").tobytes()).decode()
