"""The cascade engine's settings: read by the media process from its environment (the function app never does)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class VoiceSettings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, env_ignore_empty=True, extra="ignore")

    # piper (joe, out of process) when it is installed, else espeak-ng; `espeak` forces the fallback.
    tts: Literal["piper", "espeak"] = Field("piper", alias="VOICE_TTS")
    espeak_voice: str = Field("en-us", alias="VOICE_ESPEAK_VOICE")
    stt_threads: int = Field(2, alias="VOICE_STT_THREADS", ge=1, le=16)
    # Silero's speech probability above which a 32 ms window counts as speech.
    speech_threshold: float = Field(0.5, alias="VOICE_SPEECH_THRESHOLD", gt=0, lt=1)
    # Speech this long starts a caller turn (and stops the agent: barge-in).
    speech_start_ms: int = Field(64, alias="VOICE_SPEECH_START_MS", ge=32)
    # Silence that ends a turn (see end_of_turn): closed by a full stop, finished words without one, and one
    # that stops on "and", "my", "the"...
    end_silence_ms: int = Field(256, alias="VOICE_END_SILENCE_MS", ge=96)
    open_silence_ms: int = Field(480, alias="VOICE_OPEN_SILENCE_MS", ge=96)
    unfinished_silence_ms: int = Field(900, alias="VOICE_UNFINISHED_SILENCE_MS", ge=96)
    # The caller going on within this long after the end of their speech takes the turn back (and at least
    # 300 ms after the turn was ended); until then the turn runs no tool that acts.
    take_back_ms: int = Field(800, alias="VOICE_TAKE_BACK_MS", ge=0)
    # A caller turn is decoded whole: at most this long (longer speech is cut into turns).
    max_utterance_ms: int = Field(20000, alias="VOICE_MAX_UTTERANCE_MS", ge=1000, le=28000)
