"""The voice engines behind media.engine.VoiceEngine, chosen by VOICE_ENGINE in one place."""

from __future__ import annotations

from collections.abc import Callable

from media.engine import VoiceEngine
from media.settings import MediaSettings

# What a caller may pick in the web UI besides the agent's own voice: the realtime models' voices, and the
# cascade's two offline ones (its VOICE_TTS choices).
REALTIME_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")
CASCADE_VOICES = ("piper", "espeak")


def voices(settings: MediaSettings) -> tuple[str, ...]:
    return REALTIME_VOICES if settings.voice_engine == "realtime" else CASCADE_VOICES


def engine_factory(settings: MediaSettings) -> Callable[[], VoiceEngine]:
    """Makes one engine per call, chosen by VOICE_ENGINE; built when the app starts, so that no caller waits for
    the realtime engine's imports. The cascade (heavy: speech models) is imported on its first call."""
    if settings.voice_engine == "realtime":
        from media.engines.realtime import RealtimeEngine, connector, tool_schemas
        from shared.agents.definitions import agents

        tool_schemas(), agents()  # the tool registry and the agents' YAML, read once per process
        connect = connector(settings)
        return lambda: RealtimeEngine(settings, connect)

    def cascade() -> VoiceEngine:
        from media.engines.cascade import CascadeEngine

        return CascadeEngine(settings)

    return cascade
