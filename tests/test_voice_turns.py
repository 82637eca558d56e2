"""When the cascade takes the caller's turn: the turn-taking state machine on scripted voice activity."""

from __future__ import annotations

import numpy as np

from shared.voice.end_of_turn import silence_to_end, sounds_finished
from shared.voice.repeats import without_repeats
from shared.voice.settings import VoiceSettings
from shared.voice.turn_taking import Ended, Faded, Onset, Paused, Started, TurnTaker

WINDOW = np.zeros(512, dtype=np.float32)
SETTINGS = VoiceSettings(end_silence_ms=256, open_silence_ms=480, unfinished_silence_ms=900, take_back_ms=900,
                         speech_start_ms=64)


def run(taker: TurnTaker, speech_ms: int, silence_ms: int, text: str | None = None, holds: bool = False
        ) -> list[object]:
    """`speech_ms` of speech then `silence_ms` of silence; `text` is what the recogniser makes of each pause.
    The agent's audio held and let go (Onset, Faded) is among the actions only with `holds`."""
    actions: list[object] = []
    for probability, ms in ((0.9, speech_ms), (0.05, silence_ms)):
        for _ in range(ms // 32):
            for action in taker.feed(WINDOW, probability):
                if holds or not isinstance(action, Onset | Faded):
                    actions.append(action)
                if isinstance(action, Paused) and text is not None:
                    taker.transcribed(action.pause, text)
    return actions


def kinds(actions: list[object]) -> list[str]:
    return [type(a).__name__ for a in actions]


def test_one_window_of_speech_holds_the_agent_and_a_noise_lets_it_go() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 32, 320, holds=True)) == ["Onset", "Faded"]  # a click: no turn
    assert kinds(run(taker, 1000, 0, holds=True))[:2] == ["Onset", "Started"]  # the hold comes 32 ms sooner


def test_a_finished_sentence_ends_after_a_short_silence() -> None:
    taker = TurnTaker(SETTINGS)
    actions = run(taker, 1600, 320, "My postal code is 94103.")
    assert kinds(actions) == ["Started", "Paused", "Ended"]
    ended = actions[-1]
    assert isinstance(ended, Ended) and ended.pause == actions[1].pause  # type: ignore[attr-defined]
    assert ended.audio.size >= (1600 + 256) * 16  # the pre-roll and the speech are all in it


def test_a_sentence_that_stops_on_my_waits_for_more() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 800, 640, "I would like to change my")) == ["Started", "Paused"]
    assert kinds(run(taker, 600, 320, "I would like to change my address.")) == ["Paused", "Ended"]


def test_going_on_right_after_the_end_takes_the_turn_back_and_keeps_its_audio() -> None:
    taker = TurnTaker(SETTINGS)
    first = run(taker, 1000, 480, "My postal code is 94103.")
    assert kinds(first)[-1] == "Ended"
    again = run(taker, 1000, 320, "My postal code is 94103 and I was born in 1957.")
    assert kinds(again) == ["TakenBack", "Paused", "Ended"]
    assert again[-1].audio.size > first[-1].audio.size + 1000 * 16  # type: ignore[attr-defined]


def test_the_ended_turn_is_committed_once_the_take_back_window_closes() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 1000, 800, "Yes.")) == ["Started", "Paused", "Ended"]
    assert kinds(run(taker, 0, 160)) == ["Committed"]  # 900 ms of silence after the end of the speech
    assert kinds(run(taker, 0, 2000)) == []


def test_a_turn_ended_on_a_long_silence_can_still_be_taken_back_for_a_moment() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 1000, 960, "I would like to change my")) == ["Started", "Paused", "Ended"]
    assert kinds(run(taker, 1000, 0)) == ["TakenBack"]  # 60 ms after the end: the same turn


def test_hearing_the_answer_commits_the_turn_at_once() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 1000, 320, "Yes.")) == ["Started", "Paused", "Ended"]
    taker.answer_heard()
    assert kinds(run(taker, 0, 32)) == ["Committed"]
    assert kinds(run(taker, 500, 0)) == ["Started"]  # speech now is a barge-in, not a take-back


def test_a_turn_taken_back_is_never_committed() -> None:
    taker = TurnTaker(SETTINGS)
    run(taker, 1000, 480, "My postal code is 94103.")
    assert "Committed" not in kinds(run(taker, 1000, 320, "My postal code is 94103 and I was born in 1957."))


def test_speech_after_the_take_back_window_is_a_new_turn() -> None:
    taker = TurnTaker(SETTINGS)
    run(taker, 1000, 1400, "Yes.")
    assert kinds(run(taker, 500, 0)) == ["Started"]


def test_without_a_transcript_in_time_the_turn_ends_after_the_long_silence() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 500, 800)) == ["Started", "Paused"]
    assert kinds(run(taker, 0, 128)) == ["Ended"]


def test_a_cough_shorter_than_the_start_is_not_a_turn() -> None:
    assert run(TurnTaker(SETTINGS), 32, 500) == []


def test_words_without_a_full_stop_wait_a_little_longer() -> None:
    taker = TurnTaker(SETTINGS)
    assert kinds(run(taker, 1000, 384, "Please change my address to 12 Harbour Street")) == \
        ["Started", "Paused"]
    assert kinds(run(taker, 0, 160)) == ["Ended"]


def test_unfinished_wording() -> None:
    assert sounds_finished("Yes, please.") and sounds_finished("My postal code is 94103.")
    assert not sounds_finished("I would like to change my") and not sounds_finished("and the,")
    assert not sounds_finished("") and not sounds_finished("Um")
    # A word that may end a sentence or go on: the recogniser's full stop decides.
    assert sounds_finished("That is all, thank you.") and sounds_finished("Please cancel that.")
    assert not sounds_finished("I think that") and not sounds_finished("Thank you,")
    assert sounds_finished("Yes, please,")  # a comma after a finished word: the middling wait


def test_how_long_each_wording_waits() -> None:
    assert silence_to_end("Please cancel that.", SETTINGS) == 256
    assert silence_to_end("Yes, please...", SETTINGS) == 480
    assert silence_to_end("I would like to change my", SETTINGS) == 900
    assert silence_to_end("I think that", SETTINGS) == 900


def test_a_caller_speaking_on_asks_for_no_decode_until_they_pause() -> None:
    taker = TurnTaker(SETTINGS)
    assert [type(a) for a in run(taker, 2000, 0)] == [Started]
    assert [type(a) for a in run(taker, 0, 32)] == [Paused]


def test_the_decoders_loops_in_the_silence_after_speech_are_dropped() -> None:
    assert without_repeats("Yes, please... Please... Yes,") == "Yes, please..."
    assert without_repeats("Yes, that is right. Yes, that") == "Yes, that is right."
    assert without_repeats("Is the blue backpack in stock? Is the new backpack") == "Is the blue backpack in stock?"
    assert without_repeats("Thank you. Thank you very much.") == "Thank you. Thank you very much."
    assert without_repeats("No. I said three.") == "No. I said three."


def test_a_phrase_the_decoder_goes_round_on_is_kept_once() -> None:
    assert without_repeats("Never mind Forget it Never mind forget it Never Mind Forget") == "Never mind Forget it"
    assert without_repeats("Can you check that for me? Can you che") == "Can you check that for me?"
    assert without_repeats("Okay, thank you, thank you, thank") == "Okay, thank you,"
    assert without_repeats("What is your return's policy? What is yours returns") == "What is your return's policy?"
    assert without_repeats("Where is my order? Where is it") == "Where is my order? Where is it"
    # What a caller says twice differently, and digits read out, are theirs.
    assert without_repeats("I want the tent, I want the blue tent.") == "I want the tent, I want the blue tent."
    assert without_repeats("My number is 4 5 4 5.") == "My number is 4 5 4 5."
    assert without_repeats("No, no, no.") == "No, no, no."
