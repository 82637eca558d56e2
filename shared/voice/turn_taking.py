"""When the caller's turn starts and ends: a state machine over voice-activity windows, no I/O.

The engine feeds it one 32 ms window at a time (its audio and silero's speech probability) and acts
on what it answers:
- `Onset`: one window of speech: the agent's audio is held, at once, in case the caller is starting;
- `Faded`: that speech did not last (a noise): the agent's audio goes on;
- `Started`: the caller began to speak (the agent stops: barge-in);
- `TakenBack`: the caller went on right after a turn was ended: that turn is withdrawn and its audio
  joins this one, so the recogniser hears the whole sentence;
- `Paused`: the caller fell silent: decode now, speculatively, so the text is ready when the turn ends
  (whisper has no partial result to build on: a decode while the caller speaks would be redone whole at
  the pause, and only hold the model when the pause comes);
- `Ended`: the turn is over (after a silence as long as its wording asks for: see end_of_turn);
- `Committed`: the ended turn can no longer be taken back (the caller stayed silent, or heard the answer).
Times count caller audio, not the wall clock: the transport delivers it in real time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from shared.voice.end_of_turn import silence_to_end
from shared.voice.settings import VoiceSettings

PRE_ROLL_WINDOWS = 8  # 256 ms kept from before the speech was detected: its first syllable
# However long the silence that ended a turn, the caller may still take it back this long after its end.
TAKE_BACK_FLOOR_MS = 300
HYSTERESIS = 0.15  # once speaking, a window counts as speech down to threshold - this (silero's advice)


@dataclass(frozen=True)
class Onset:
    pass


@dataclass(frozen=True)
class Faded:
    pass


@dataclass(frozen=True)
class Started:
    pass


@dataclass(frozen=True)
class TakenBack:
    pass


@dataclass(frozen=True)
class Paused:
    audio: np.ndarray
    pause: int  # which pause this is: a transcript is matched to its pause by it


@dataclass(frozen=True)
class Ended:
    audio: np.ndarray
    pause: int  # the pause whose transcript is this turn's text; 0: none is (decode `audio`)


@dataclass(frozen=True)
class Committed:
    pass


Action = Onset | Faded | Started | TakenBack | Paused | Ended | Committed


class TurnTaker:
    def __init__(self, settings: VoiceSettings, window_ms: int = 32) -> None:
        self._s, self._window_ms = settings, window_ms
        self._pre_roll: deque[np.ndarray] = deque(maxlen=PRE_ROLL_WINDOWS)
        self._speech_run = 0  # consecutive speech windows before a turn starts
        self._utterance: list[np.ndarray] | None = None  # the turn being spoken
        self._silence_ms = 0
        self._pause = 0
        self._pause_text: tuple[int, str] | None = None  # the transcript of the latest pause, once decoded
        self._ended: list[np.ndarray] | None = None  # the last ended turn and the silence since, for a take-back
        self._since_end_ms = 0
        self._take_back_ms = 0
        self._heard = False  # the caller has heard the answer to the ended turn

    @property
    def speaking(self) -> bool:
        return self._utterance is not None

    def answer_heard(self) -> None:
        """The caller has heard the agent answer: speech from now on is a new turn (or a barge-in), not the
        last one going on."""
        self._heard = True

    def transcribed(self, pause: int, text: str) -> None:
        """The recogniser's text for the audio up to pause number `pause`."""
        self._pause_text = (pause, text)

    def feed(self, window: np.ndarray, probability: float) -> list[Action]:
        if self._utterance is None:
            return self._waiting(window, probability)
        return self._speaking(window, probability)

    def _waiting(self, window: np.ndarray, probability: float) -> list[Action]:
        self._pre_roll.append(window)
        was = self._speech_run
        self._speech_run = self._speech_run + 1 if probability >= self._s.speech_threshold else 0
        actions: list[Action] = []
        if not was and self._speech_run:
            actions.append(Onset())
        elif was and not self._speech_run:
            actions.append(Faded())
        if self._ended is not None:
            self._ended.append(window)
            self._since_end_ms += self._window_ms
            if self._heard or self._since_end_ms > self._take_back_ms:
                self._ended = None
                actions.append(Committed())
        if self._speech_run * self._window_ms < self._s.speech_start_ms:
            return actions
        self._silence_ms, self._speech_run = 0, 0
        if self._ended is not None:  # the caller went on: the turn just ended was not over
            self._utterance, self._ended = self._ended, None
            return [*actions, TakenBack()]
        self._utterance = list(self._pre_roll)
        return [*actions, Started()]

    def _speaking(self, window: np.ndarray, probability: float) -> list[Action]:
        utterance = self._utterance
        assert utterance is not None
        utterance.append(window)
        if probability >= self._s.speech_threshold - HYSTERESIS:
            self._silence_ms = 0
            if len(utterance) * self._window_ms >= self._s.max_utterance_ms:
                return [self._end()]
            return []
        self._silence_ms += self._window_ms
        if self._silence_ms == self._window_ms:
            self._pause += 1
            return [Paused(np.concatenate(utterance), self._pause)]
        said = self._pause_text[1] if self._pause_text is not None and self._pause_text[0] == self._pause else ""
        if self._silence_ms >= silence_to_end(said, self._s):  # not decoded yet: the longest wait
            return [self._end()]
        return []

    def _end(self) -> Ended:
        utterance = self._utterance
        assert utterance is not None
        covered = self._pause if self._silence_ms > 0 else 0  # cut short while speaking: no pause covers it
        self._utterance, self._ended, self._since_end_ms, self._heard = None, utterance, 0, False
        # Counted from the end of the speech, so a turn that ended on a short silence is committed soon after.
        self._take_back_ms = max(TAKE_BACK_FLOOR_MS, self._s.take_back_ms - self._silence_ms)
        self._pre_roll.clear()
        return Ended(np.concatenate(utterance), covered)
