"""The voice engines behind media.engine.VoiceEngine, chosen by VOICE_ENGINE in one place."""

from __future__ import annotations

from collections.abc import Callable

from media.engine import VoiceEngine
from media.settings import MediaSettings


def engine_factory(settings: MediaSettings) -> Callable[[], VoiceEngine]:
    """Makes one engine per call; the cascade (heavy: speech models) is imported only when chosen."""
    if settings.voice_engine == "realtime":
        from media.engines.realtime import RealtimeEngine, connector

        connect = connector(settings)
        return lambda: RealtimeEngine(settings, connect)
    from media.engines.cascade import CascadeEngine

    return lambda: CascadeEngine(settings)
