"""Precision and recall of `shared.privacy.mask` on the tuning set and the held-out set, and its speed.

The patterns were tuned on tests/data/privacy/tuning.jsonl only; heldout.jsonl measures how far
that carries to sentences they were not fitted to. An expected entity counts as found when spans
of its kind cover every letter and digit of it (a partial mask leaks); a found span counts as
right when it overlaps an expected entity of its kind.
Run: .venv/bin/python bench/privacy.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.privacy.mask import Found, find, mask  # noqa: E402 (after the path is set)

DATA = ROOT / "tests" / "data" / "privacy"
SETS = ("tuning", "heldout")
TIMING_ROUNDS = 20


@dataclass(frozen=True)
class Example:
    text: str
    entities: list[tuple[str, int, int]]  # kind, start, end


@dataclass(frozen=True)
class Scores:
    sentences: int
    expected: int
    found: int
    recalled: int
    right: int
    negatives: int
    negatives_untouched: int
    misses: list[str]
    false_alarms: list[str]

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0


def load(name: str) -> list[Example]:
    examples = []
    for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        entities = [(kind, text.index(value), text.index(value) + len(value)) for kind, value in row["entities"]]
        examples.append(Example(text, entities))
    return examples


def _covered(text: str, kind: str, start: int, end: int, found: list[Found]) -> bool:
    masked = {i for f in found if f.kind == kind for i in range(f.start, f.end)}
    return all(i in masked for i in range(start, end) if text[i].isalnum())


def score(examples: list[Example]) -> Scores:
    expected = found_count = recalled = right = negatives = untouched = 0
    misses: list[str] = []
    false_alarms: list[str] = []
    for example in examples:
        found = find(example.text)
        expected += len(example.entities)
        found_count += len(found)
        for kind, start, end in example.entities:
            if _covered(example.text, kind, start, end, found):
                recalled += 1
            else:
                misses.append(f"{kind}: {example.text!r} -> {mask(example.text)!r}")
        for item in found:
            if any(k == item.kind and start < item.end and item.start < end for k, start, end in example.entities):
                right += 1
            else:
                false_alarms.append(f"{item.kind}: {example.text[item.start:item.end]!r} in {example.text!r}")
        if not example.entities:
            negatives += 1
            untouched += not found
    return Scores(len(examples), expected, found_count, recalled, right, negatives, untouched, misses, false_alarms)


def microseconds_per_sentence(examples: list[Example]) -> list[float]:
    timings = []
    for _ in range(TIMING_ROUNDS):
        for example in examples:
            started = time.perf_counter()
            mask(example.text)
            timings.append((time.perf_counter() - started) * 1e6)
    return timings


if __name__ == "__main__":
    every: list[Example] = []
    for name in SETS:
        examples = load(name)
        every += examples
        s = score(examples)
        print(f"{name}: {s.sentences} sentences, {s.expected} entities; precision {s.precision:.3f} "
              f"({s.right}/{s.found}), recall {s.recall:.3f} ({s.recalled}/{s.expected}), "
              f"negatives untouched {s.negatives_untouched}/{s.negatives}")
        for line in s.misses:
            print(f"  missed {line}")
        for line in s.false_alarms:
            print(f"  false alarm {line}")
    timings = sorted(microseconds_per_sentence(every))
    print(f"mask() per sentence: median {statistics.median(timings):.0f} us, "
          f"p95 {timings[int(len(timings) * 0.95)]:.0f} us over {len(timings)} calls")
