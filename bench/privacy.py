"""Precision and recall of `shared.privacy.mask` on hand-written sets and on Faker people, and its speed.

The patterns were tuned on tests/data/privacy/tuning.jsonl; heldout.jsonl measures how far that
carries to sentences they were not fitted to. The Faker set puts generated streets, postcodes,
phone numbers and emails of eight locales into lines like the synthetic conversations' own
("It's {street}, {postal_code} {city}."), the data this app's transcripts really hold.
An expected entity counts as found when spans of its kind cover every letter and digit of it (a
partial mask leaks); a found span counts as right when it overlaps an expected entity of its kind.
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
FAKER_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "en_CA", "en_AU")
FAKER_PER_LOCALE = 100
# Where each locale writes its postcode: after the town, or before it, or after a state or province.
_REGION = {"en_US": "state_abbr", "en_CA": "province_abbr", "en_AU": "state_abbr"}
_POSTCODE_FIRST = {"de_DE", "fr_FR", "es_ES", "it_IT"}
_LINES = ("Can you change my delivery address? I'm now at {address}.", "It's {address}.",
          "Let me read it back: {address}. It's saved.", "{address}.")


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


def faker_examples(seed: int) -> list[Example]:
    from faker import Faker  # the bench's only use of it

    examples = []
    for locale in FAKER_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for i in range(FAKER_PER_LOCALE):
            street, postcode, town = fake.street_address().replace("\n", " "), fake.postcode(), fake.city()
            region = getattr(fake, _REGION[locale])() + " " if locale in _REGION else ""
            address = (f"{street}, {postcode} {town}" if locale in _POSTCODE_FIRST
                       else f"{street}, {town}, {region}{postcode}")
            text = _LINES[i % len(_LINES)].format(address=address)
            entities = [("address", text.index(street), text.index(street) + len(street)),
                        ("address", text.rindex(postcode), text.rindex(postcode) + len(postcode))]
            examples.append(Example(text, entities))
            phone, email = fake.phone_number(), fake.email()
            text = f"You can call me on {phone} or write to {email}."
            examples.append(Example(text, [("phone", text.index(phone), text.index(phone) + len(phone)),
                                           ("email", text.index(email), text.index(email) + len(email))]))
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


def conversation_lines() -> list[str]:
    """The lines of 300 synthetic conversations: what a transcript really holds, digits mostly absent."""
    from shared.synthetic.offline import generate_conversations
    from shared.synthetic.spec import CompanySpec

    spec = CompanySpec(name="Contoso", industry="electronics", customers=200, products=50, purchases=500,
                       conversations=300, seed=5)
    return [turn.text for conversation in generate_conversations(spec, 0, 300) for turn in conversation.transcript]


def microseconds_per_sentence(texts: list[str], rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            mask(text)
            timings.append((time.perf_counter() - started) * 1e6)
    return sorted(timings)


def _report_speed(name: str, timings: list[float]) -> None:
    print(f"mask() per sentence, {name}: median {statistics.median(timings):.0f} us, "
          f"p95 {timings[int(len(timings) * 0.95)]:.0f} us over {len(timings)} calls")


def _report(name: str, examples: list[Example], details: bool) -> None:
    s = score(examples)
    print(f"{name}: {s.sentences} sentences, {s.expected} entities; precision {s.precision:.3f} "
          f"({s.right}/{s.found}), recall {s.recall:.3f} ({s.recalled}/{s.expected}), "
          f"negatives untouched {s.negatives_untouched}/{s.negatives}")
    for line in (s.misses + s.false_alarms) if details else ():
        print(f"  {'missed' if line in s.misses else 'false alarm'} {line}")


if __name__ == "__main__":
    every: list[Example] = []
    for name in SETS:
        every += load(name)
        _report(name, load(name), details=True)
    # Seed 7 was looked at while tuning; seed 11 was not.
    for seed in (7, 11):
        _report(f"faker seed {seed} ({', '.join(FAKER_LOCALES)})", faker_examples(seed), details="-v" in sys.argv)
    _report_speed("hand-written sets", microseconds_per_sentence([e.text for e in every], TIMING_ROUNDS))
    _report_speed("synthetic conversation lines", microseconds_per_sentence(conversation_lines(), 2))
