"""The ACS media wire format, read from the frame samples of ACS's audio streaming documentation (and the
PascalCase ACS also writes), and the transport's pacing, StopAudio and played milliseconds."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import random
import time

import pytest

from media import wire
from media.engine import AudioFormat
from media.transport import AcsCallSide, decoded_bytes

# The samples of "Quickstart: Server-side audio streaming" (Azure Communication Services docs).
METADATA = """{
    "kind": "AudioMetadata",
    "audioMetadata": {
        "subscriptionId": "89e8cb59-b991-48b0-b154-1db84f16a077",
        "encoding": "PCM",
        "sampleRate": 16000,
        "channels": 1,
        "length": 640
    }
}"""
AUDIO = """{
    "kind": "AudioData",
    "audioData": {
        "timestamp": "2022-08-23T11:48:05Z",
        "participantRawID": "8:acs:3d20e1de-0f28-41c5-84c0-59f2da4da6a4_0000001a-5a2a-f7f0-28df-44482200a81d",
        "data": "5ADwAOMA6AD0AOIA4ADkAN8AzwDUANEAywC+ALQArgC0AKYAnACdAJ4AmQCQAIkAiQCIAHkAbQBp",
        "silent": false
    }
}"""
DTMF = """{
    "kind": "DtmfData",
    "dtmfData": {
        "data": "5"
    }
}"""
PASCAL_AUDIO = '{"Kind": "AudioData", "AudioData": {"Timestamp": "2024-11-15T19:16:12.925Z", ' \
               '"ParticipantRawID": "4:+15555550100", "Data": "AAAA", "Silent": true}}'


def test_the_documented_frames_are_read_as_they_are_meant() -> None:
    assert wire.parse(METADATA) == wire.AudioMetadata(16000, 640)
    audio = wire.parse(AUDIO)
    assert isinstance(audio, wire.AudioData) and audio.data.startswith("5ADwAOMA") and not audio.silent
    assert audio.participant.startswith("8:acs:")
    assert wire.parse(DTMF) == wire.DtmfData("5")
    assert wire.parse(PASCAL_AUDIO) == wire.AudioData("AAAA", True, "4:+15555550100")
    assert wire.parse(METADATA.replace("16000", "24000").replace("640", "960")) == wire.AudioMetadata(24000, 960)


def test_what_goes_out_is_what_acs_takes() -> None:
    assert json.loads(wire.audio_out("AAAA")) == {"kind": "AudioData", "audioData": {"data": "AAAA"}}
    assert json.loads(wire.STOP_AUDIO) == {"kind": "StopAudio", "audioData": None, "stopAudio": {}}


@pytest.mark.parametrize("frame", [
    "", "null", "[]", "42", '"AudioData"', "{", '{"kind": "Unknown"}', '{"kind": 7}', '{"kind": "AudioData"}',
    '{"kind": "AudioData", "audioData": {"data": 5}}', '{"kind": "AudioData", "audioData": {"data": "abc"}}',
    '{"kind": "AudioMetadata", "audioMetadata": {"sampleRate": "24000", "length": 960}}',
    '{"kind": "AudioMetadata", "audioMetadata": {"sampleRate": 24000, "length": 961}}',
    '{"kind": "AudioMetadata", "audioMetadata": {"sampleRate": 24000, "length": 960, "channels": 2}}',
    '{"kind": "DtmfData", "dtmfData": {"data": "5; drop table"}}', '{"kind": "DtmfData", "dtmfData": []}',
    "[" * 100000, '{"kind": "AudioData", "audioData": {"data": "' + "A" * 70000 + '"}}',
    '{"kind": "AudioData", "audioData": {"data": "\\ud800AAA"}}', b"\xff\xfe\x00",
])
def test_anything_else_is_a_malformed_frame_and_nothing_worse(frame: str | bytes) -> None:
    with pytest.raises(wire.MalformedFrameError):
        wire.parse(frame)


def test_random_bytes_and_mutated_frames_never_raise_anything_but_malformed() -> None:
    rng = random.Random(7)
    samples = [METADATA, AUDIO, DTMF, PASCAL_AUDIO]
    for _ in range(3000):
        text = rng.choice(samples)
        cut = rng.randrange(len(text))
        mutated = text[:cut] + rng.choice(['"', "{", "}", ":", "1", "null", "", "\\"]) + text[cut + 1:]
        for candidate in (mutated, bytes(rng.randrange(256) for _ in range(rng.randrange(40)))):
            with contextlib.suppress(wire.MalformedFrameError):
                wire.parse(candidate)


class Collected:
    def __init__(self) -> None:
        self.frames: list[tuple[float, str]] = []

    def send(self, text: str) -> None:
        self.frames.append((time.monotonic(), text))

    async def emit(self, event: object) -> None:
        return None


def pcm_b64(ms: int) -> str:
    return base64.b64encode(bytes(48 * ms)).decode()  # 24 kHz PCM16: 48 bytes a millisecond


async def test_agent_audio_is_sliced_without_decoding_and_paced_in_real_time() -> None:
    out = Collected()
    side = AcsCallSide(out.send, AudioFormat(24000, 960), out.emit)
    started = time.monotonic()
    side.play(pcm_b64(300))  # faster than real time, as engines produce it
    assert side.queued_ms() == 300 and side.played_ms() == 0
    await side.drained(2)
    sent = [json.loads(text)["audioData"]["data"] for _, text in out.frames]
    assert [decoded_bytes(s) for s in sent] == [960] * 15  # 20 ms frames
    assert "".join(sent) == pcm_b64(300)  # the very text, sliced
    assert out.frames[-1][0] - started >= 0.2  # 15 frames go out over 300 ms less the 60 ms lead, not at once
    assert out.frames[3][0] - started < 0.015  # the 60 ms lead goes at once ...
    assert out.frames[6][0] - started > 0.05  # ... then real time
    await side.close()


async def test_stop_audio_drops_what_is_queued_and_resets_what_was_played() -> None:
    out = Collected()
    side = AcsCallSide(out.send, AudioFormat(24000, 960), out.emit)
    side.play(pcm_b64(2000))
    await asyncio.sleep(0.2)
    played = side.played_ms()
    assert 100 <= played <= 300 and side.queued_ms() == 2000
    await side.stop_audio()
    stopped_at = len(out.frames)
    assert out.frames[-1][1] == wire.STOP_AUDIO
    await asyncio.sleep(0.1)
    assert len(out.frames) == stopped_at  # nothing after StopAudio
    assert side.played_ms() == side.queued_ms() == 0
    side.play(pcm_b64(40))  # a new answer counts from zero
    await side.drained(1)
    assert side.played_ms() == 0 and len(out.frames) == stopped_at + 2  # heard in full, and the answer is over
    await side.close()


async def test_a_hold_takes_back_what_acs_had_not_played_and_resume_plays_it() -> None:
    out = Collected()
    side = AcsCallSide(out.send, AudioFormat(24000, 960), out.emit)
    frames = [bytes([i]) * 960 for i in range(50)]  # 1 s, each 20 ms frame told apart by its bytes
    side.play(base64.b64encode(b"".join(frames)).decode())
    await asyncio.sleep(0.2)
    await side.hold()
    assert out.frames[-1][1] == wire.STOP_AUDIO
    held_at, played = len(out.frames), side.played_ms()
    await asyncio.sleep(0.1)
    assert len(out.frames) == held_at and side.played_ms() == played  # nothing plays while held
    await side.resume()
    await side.drained(2)
    sent = [[base64.b64decode(json.loads(t)["audioData"]["data"])[0] for _, t in part if t != wire.STOP_AUDIO]
            for part in (out.frames[:held_at], out.frames[held_at:])]
    before, after = sent
    # ACS dropped what it held: those frames (the lead, at most) go again, then the rest, in order.
    assert after == list(range(after[0], 50)) and 0 < before[-1] - after[0] + 1 <= 4, (before, after)
    assert before == list(range(len(before)))
    assert side.stops_sent == 1
    await side.hold()  # nothing left to play: nothing to hold
    assert side.stops_sent == 1
    await side.close()


def test_16_khz_frames_are_sliced_within_their_640_bytes() -> None:
    async def run() -> list[int]:
        out = Collected()
        side = AcsCallSide(out.send, AudioFormat(16000, 640), out.emit)
        side.play(base64.b64encode(bytes(640 * 3)).decode())
        await side.drained(2)
        await side.close()
        return [decoded_bytes(json.loads(t)["audioData"]["data"]) for _, t in out.frames]

    sizes = asyncio.run(run())
    assert sum(sizes) == 1920 and max(sizes) <= 640


async def test_a_caller_gone_mid_answer_stops_the_player_without_an_error() -> None:
    def gone(text: str) -> None:
        raise ConnectionError("the caller has hung up")

    side = AcsCallSide(gone, AudioFormat(24000, 960), Collected().emit)
    side.play(pcm_b64(200))
    await side.drained(1)
    await side.stop_audio()  # a barge-in racing the hang-up
    assert side.gone and side.frames_sent == 0 and not side._player.done()
    await side.close()
