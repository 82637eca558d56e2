"""The offline cascade engine: voice activity -> speech to text -> the conversation runtime's brain -> text
to speech, each stage streaming into the next so that little is left to do once the caller stops.

- The caller's turn is decoded the moment they pause, at every pause, so its text is ready when the
  turn ends; a short silence ends a turn that sounds finished, a longer one a
  turn that does not ("...and my"), and a caller who goes on right after takes the turn back: the
  turn is withdrawn without a trace, and until it can no longer be (committed) it runs no tool that acts.
- The answer is spoken clause by clause: the first clause plays while the brain and the voice are
  still on the rest.
- A barge-in stops the agent's audio at once and interrupts the turn with what the caller heard, so the
  history keeps only that and the answer's read-backs are dropped. A turn is held open until its audio
  has been played, so a barge-in during its last clause still counts.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from media.engine import CallContext, CallSide
from media.engines import CASCADE_VOICES
from media.settings import MediaSettings
from shared.agents.definitions import agents
from shared.conversation.events import CallerSaid, Dtmf, HangUp, TextDelta, TurnEnded
from shared.conversation.executor import ToolPort
from shared.conversation.runtime import Brain, Conversation
from shared.conversation.state import ConversationState
from shared.conversation.text_chat import brain
from shared.conversation.turn import Turn
from shared.settings import Settings
from shared.voice import turn_taking
from shared.voice.recogniser import Recogniser, Transcript, recogniser
from shared.voice.resampling import Resampler
from shared.voice.settings import VoiceSettings
from shared.voice.speaker import Speaker
from shared.voice.synthesiser import Synthesiser, Voices
from shared.voice.vad import RATE, SpeechDetector

log = logging.getLogger(__name__)
# Once the caller has heard this much of the answer, their speech is a barge-in, no longer their turn going on.
ANSWER_HEARD_SECONDS = 0.5
# Opens the call's conversation with the brain it is given wrapped by the engine (`wrap`).
Opener = Callable[[CallContext, ToolPort, Callable[[Brain], Brain]], Awaitable[Conversation]]
_voices: dict[tuple[str, str], Voices] = {}


def voices(settings: VoiceSettings) -> Voices:
    """Warm voices shared by the calls of this process."""
    key = (settings.tts, settings.espeak_voice)
    if key not in _voices:
        _voices[key] = Voices(use_piper=settings.tts == "piper", espeak_voice=settings.espeak_voice)
    return _voices[key]


class _SpokenBrain:
    """The brain, with the turn held open until the caller has heard its answer."""

    def __init__(self, inner: Brain, engine: CascadeEngine) -> None:
        self._inner, self._engine = inner, engine

    async def respond(self, turn: Turn) -> None:
        await self._inner.respond(turn)
        turn.finish()  # the closing punctuation of the last clause: speak it now, not after the turn
        await self._engine.answer_played()


def facts_of(call: CallContext) -> dict[str, Any]:
    return call.facts or {"company": "our company", "customer": {"first_name": call.first_name}}


class _CallState:
    """The conversation's state lives with the call in this process (as the realtime engine's does); what the
    function app keeps of it arrives through the tool port and the transcript events."""

    def __init__(self) -> None:
        self._saved = 0

    async def save(self, state: ConversationState, etag: str | None) -> str:
        self._saved += 1
        return str(self._saved)


async def open_call_conversation(call: CallContext, tools: ToolPort, wrap: Callable[[Brain], Brain]) -> Conversation:
    """The call's conversation with the brain the settings choose (the LLM one when LLM_BASE_URL is set)."""
    state = ConversationState(id=f"chat-{call.session_id}", session_id=call.session_id, active_agent=call.agent)
    chosen = brain(Settings())
    if (warm := getattr(chosen, "warm", None)) is not None:
        await warm()  # the offline brain's model: loaded once per process, while the greeting plays
    return Conversation(agents=agents(), brain=wrap(chosen), port=tools, store=_CallState(), state=state,
                        etag=None, facts=facts_of(call))


class CascadeEngine:
    def __init__(self, media: MediaSettings | None = None, *, voice: VoiceSettings | None = None,
                 opener: Opener = open_call_conversation) -> None:
        """`media` is what the engine factory gives every engine; the cascade reads its own VOICE_* settings."""
        self._settings = voice or VoiceSettings()
        self._open = opener
        self._background: set[asyncio.Task[Any]] = set()
        self._actions: asyncio.Queue[turn_taking.Action] = asyncio.Queue()
        self._discarding = False  # the running turn was interrupted: what it still says is dropped
        self._clause = ""  # the clause being written, until its end
        self._decoding: asyncio.Task[Transcript] | None = None
        self._waiting: tuple[np.ndarray, int] | None = None  # the newest pause to decode once the model is free
        self._decoded: dict[int, asyncio.Future[Transcript]] = {}  # by pause
        self._generation = 0  # bumped by a take-back: a turn still being finished is withdrawn
        self._turn: asyncio.Task[Any] | None = None  # the latest caller turn given to the conversation
        self._committed: asyncio.Future[None] | None = None  # resolved once the latest turn cannot be taken back
        self._caller_line: str | None = None  # the latest turn's words, for the transcript once committed
        self._last_ended: tuple[int, int] = (0, 0)  # the pause that ended the last turn, and its audio's length
        # A turn taken back: its text, and how much of the turn's audio that text covers. Whisper may stop at
        # the pause inside and drop all that follows: then the rest is decoded alone and added to it.
        self._carried: tuple[str, int] | None = None

    async def start(self, call: CallContext, side: CallSide, tools: ToolPort) -> None:
        self._side = side
        if call.voice in CASCADE_VOICES:  # picked in the web UI; any other name is a realtime model's
            self._settings = self._settings.model_copy(update={"tts": call.voice})
        self._recogniser: Recogniser = await asyncio.to_thread(recogniser, self._settings.stt_threads)
        self._detector = SpeechDetector()
        self._taker = turn_taking.TurnTaker(self._settings, self._detector.window_ms)
        self._inbound = Resampler(call.audio.sample_rate, RATE)
        self._synthesiser: Synthesiser = await voices(self._settings).acquire()
        self._speaker = Speaker(side, self._synthesiser, call.audio.sample_rate)
        self._speaker.say(agents()[call.agent].render("greeting", **facts_of(call)))
        self.conversation: Conversation = await self._open(call, tools, lambda inner: _SpokenBrain(inner, self))
        self._pump = asyncio.get_running_loop().create_task(self._forward_events())
        self._actor = asyncio.get_running_loop().create_task(self._take_actions())

    def caller_audio(self, audio_b64: str) -> None:
        began = self._speaker.first_audio_at
        if began is not None and time.perf_counter() - began > ANSWER_HEARD_SECONDS:
            self._taker.answer_heard()
        for window, probability in self._detector.feed(self._inbound.floats(base64.b64decode(audio_b64))):
            for action in self._taker.feed(window, probability):
                self._actions.put_nowait(action)

    async def dtmf(self, digits: str) -> None:
        await self._barge_in()
        await self.conversation.handle(Dtmf(digits))

    async def close(self) -> None:
        if self.conversation.answering:
            await self.conversation.interrupt(heard=self._speaker.heard())
        await self.conversation.handle(HangUp())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.conversation.events.join(), 2)  # ConversationEnded reaches the transport
        for task in (self._actor, self._pump, *self._background):
            task.cancel()
        await self._speaker.close()
        await voices(self._settings).release(self._synthesiser)

    async def answer_played(self) -> None:
        """Waits until the answer written so far has been spoken and heard (the turn is cancelled meanwhile
        by a barge-in)."""
        await self.conversation.events.join()  # the event pump has taken every clause of it
        await self._speaker.drained()

    async def _take_actions(self) -> None:
        """The turn taker's actions, in order: the caller's audio is fed on as they run (a frame never waits)."""
        while True:
            await self._act(await self._actions.get())

    async def _act(self, action: turn_taking.Action) -> None:
        match action:
            case turn_taking.Onset():
                await self._speaker.hold()
            case turn_taking.Faded():
                await self._speaker.resume()
            case turn_taking.Started():
                log.debug("started at %.3f", time.perf_counter())
                self._carried = None
                await self._barge_in()
            case turn_taking.TakenBack():
                log.debug("taken back at %.3f", time.perf_counter())
                self._generation += 1
                self._caller_line = None
                self._carry()
                await self._barge_in(withdraw=True)
            case turn_taking.Committed():
                if self._committed is not None and not self._committed.done():
                    self._committed.set_result(None)
                await self._say_caller_line()
            case turn_taking.Paused(audio=audio, pause=pause):
                log.debug("paused %d at %.3f", pause, time.perf_counter())
                self._decoded = {pause: asyncio.get_running_loop().create_future()}
                self._decode(audio, pause)
            case turn_taking.Ended() as ended:
                log.debug("ended %d at %.3f", ended.pause, time.perf_counter())
                self._last_ended = (ended.pause, ended.audio.size)
                self._committed = asyncio.get_running_loop().create_future()
                self._spawn(self._finish_turn(ended, self._generation, self._committed))

    async def _barge_in(self, withdraw: bool = False) -> None:
        """The caller speaks: the agent stops within a window, and a running turn ends with what was heard
        (or, when the caller took it back, is withdrawn)."""
        if self._turn is not None and not self._turn.done() and not self.conversation.answering:
            self._turn.cancel()  # given to the conversation but not begun (waiting for the last one to wind up)
        if not self._speaker.speaking and not self.conversation.answering:
            self._speaker.end_answer()
            return
        # The turn is stopped before its audio: a turn waiting for its answer to be played out would
        # otherwise see the stopped audio as played and end as if heard whole.
        if (ended := self.conversation.stop(self._speaker.heard(), withdraw)) is not None:
            self._discarding = True
            self._spawn(self._wound_up(ended))
        await self._speaker.stop()

    async def _wound_up(self, ended: asyncio.Future[TurnEnded | None]) -> None:
        if await ended is None:
            self._discarding = False  # stopped before it began: no TurnEnded is coming to clear it

    async def _say_caller_line(self) -> None:
        """The committed turn's words go to the transcript (a withdrawn turn's never do)."""
        if self._caller_line is not None:
            line, self._caller_line = self._caller_line, None
            await self._side.emit(CallerSaid(line))

    def _decode(self, audio: np.ndarray, pause: int) -> None:
        """One decode at a time: a pause that comes while one runs waits, and a newer pause replaces it (each
        holds all of the turn so far), so the pause that ends the turn is never queued behind older ones."""
        if self._decoding is not None and not self._decoding.done():
            self._waiting = (audio, pause)
            return
        self._decoding = asyncio.get_running_loop().create_task(asyncio.to_thread(self._transcribe, audio))
        self._decoding.add_done_callback(lambda done: self._decoded_one(done, pause))

    def _carry(self) -> None:
        pause, size = self._last_ended
        decoded = self._decoded.get(pause)
        carried = decoded.result().text if decoded is not None and decoded.done() and not decoded.cancelled() \
            and decoded.exception() is None else None
        # The caller went on, so the full stop whisper put at the pause was none ("April 17. 1958" is no date).
        self._carried = None if carried is None else (carried.rstrip().rstrip(".!?"), size)

    def _transcribe(self, audio: np.ndarray) -> Transcript:
        """The turn's text, whole; when whisper heard no more than a take-back carried over, that text and the
        audio after it, decoded alone (blocking: in a thread)."""
        whole, carried = self._recogniser.transcribe(audio), self._carried
        if carried is None or audio.size <= carried[1] or len(whole.text.split()) > len(carried[0].split()):
            return whole
        rest = self._recogniser.transcribe(audio[carried[1]:])
        return Transcript(f"{carried[0]} {rest.text}".strip(), rest.confidence, audio.size * 1000 // RATE)

    def _decoded_one(self, done: asyncio.Task[Transcript], pause: int) -> None:
        if not done.cancelled() and done.exception() is None:
            self._taker.transcribed(pause, done.result().text)
            if (waiting := self._decoded.get(pause)) is not None and not waiting.done():
                waiting.set_result(done.result())
        if self._waiting is not None:
            (audio, next_pause), self._waiting = self._waiting, None
            self._decode(audio, next_pause)

    async def _finish_turn(self, ended: turn_taking.Ended, generation: int, committed: asyncio.Future[None]
                           ) -> None:
        if ended.pause and ended.pause in self._decoded:
            transcript = await self._decoded[ended.pause]
        else:  # cut while speaking: no pause covers it
            transcript = await asyncio.to_thread(self._transcribe, ended.audio)
        log.debug("text %r at %.3f", transcript.text, time.perf_counter())
        if generation != self._generation or not transcript.text:
            return  # taken back, or no words in it (a cough, a line noise)
        self._caller_line = transcript.text
        if committed.done():
            await self._say_caller_line()
        self._turn = asyncio.get_running_loop().create_task(
            self.conversation.turn(transcript.text, transcript.confidence, committed=lambda: asyncio.shield(committed)))

    async def _forward_events(self) -> None:
        while True:
            event = await self.conversation.events.get()
            if isinstance(event, TextDelta) and not self._discarding:
                self._clause += event.text
                if event.clause_end:
                    log.debug("clause %r at %.3f", self._clause, time.perf_counter())
                    self._speaker.say(self._clause)
                    self._clause = ""
            elif isinstance(event, TurnEnded):
                self._clause, self._discarding = "", False
                self._speaker.end_answer()
                if not event.withdrawn:
                    await self._say_caller_line()  # before the answer's line, should the turn end uncommitted
            try:
                await self._side.emit(event)
            except Exception:
                log.exception("the transport did not take an event")
            finally:
                self.conversation.events.task_done()

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
