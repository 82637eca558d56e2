"""The eval through the text channel of a real host: the same scenarios and checks, the end state read from the
Cosmos stand-in the host wrote. A few scenarios here (each kind of end state); `make eval-http` runs a split."""

from __future__ import annotations

from pathlib import Path

from evals import runner
from evals.over_http import on_a_host
from evals.scenarios import load
from evals.world import World
from local.stack import Endpoints

CHOSEN = ("dev-order-then-cancel", "dev-return-refund", "dev-change-phone", "dev-complaint", "dev-order-words")


def test_scenarios_over_http_score_the_hosts_real_end_state(tmp_path: Path, stack: Endpoints) -> None:
    scenarios = [s for s in load(("dev",)) if s.id in CHOSEN]
    assert len(scenarios) == len(CHOSEN)
    wrong = [s.model_copy(deep=True, update={"id": f"{s.id}-wrong"}) for s in scenarios]
    for scenario in wrong:  # what the host did, wanted otherwise: each must be told apart
        scenario.end.stock, scenario.end.cases, scenario.end.contact = {"prod-008": 1}, [{"kind": "x"}], {"phone": "+1"}
    scored = {r.scenario.id: r for r in on_a_host([*scenarios, *wrong], World.load(), tmp_path, stack)}
    for scenario in scenarios:
        assert scored[scenario.id].success, runner.table([scored[scenario.id]])
        assert not scored[f"{scenario.id}-wrong"].success
    numbers = runner.figures([scored[s.id] for s in scenarios])
    assert numbers["effects_done"] == 6 and numbers["effects_wrong"] == 0 and numbers["raw_replies"] == 0
