"""The generation orchestration's decisions, replayed by the Durable SDK over crafted histories.

A failing batch cannot be caused against the real stand-ins without breaking them for every other
test, so this replays the orchestrator over a history in which one batch failed.
"""

from __future__ import annotations

import json
from typing import Any

from blueprints.synthetic import synthetic_orchestrator
from local.host.durable.history import EventType, event, numbered_actions
from shared.synthetic.run import orchestration_input
from shared.synthetic.spec import CompanySpec

SPEC = CompanySpec(name="Fabrikam", industry="electronics", customers=30, products=5, purchases=0, conversations=0)
RUN = orchestration_input(SPEC, "synthetic-1")


def replay(history: list[dict[str, Any]]) -> dict[str, Any]:
    handle = synthetic_orchestrator.build().get_user_function()
    context = {"history": [event(EventType.OrchestratorStarted),
                           event(EventType.ExecutionStarted, Name="synthetic_orchestrator", Input=None, Version=""),
                           *history],
               "instanceId": "synthetic-1", "isReplaying": False, "parentInstanceId": None,
               "input": json.dumps(RUN), "upperSchemaVersion": 1, "upperSchemaVersionNew": 2}
    return json.loads(handle(json.dumps(context)))


def scheduled(seq: int, name: str) -> list[dict[str, Any]]:
    return [event(EventType.TaskScheduled, event_id=seq, Name=name)]


def test_a_failed_batch_marks_the_run_failed_and_stops_scheduling() -> None:
    begun = [*scheduled(0, "synthetic_begin"), event(EventType.TaskCompleted, TaskScheduledId=0, Result="true")]
    first_stage = replay(begun)
    batches = [a for a in numbered_actions(first_stage["actions"]) if a["functionName"] == "synthetic_batch"]
    assert [json.loads(a["input"])["kind"] for a in batches] == ["customers", "customers", "products"]
    failed = replay([*begun, *scheduled(1, "synthetic_batch"), *scheduled(2, "synthetic_batch"),
                     *scheduled(3, "synthetic_batch"),
                     event(EventType.TaskFailed, TaskScheduledId=2, Reason="CosmosHttpResponseError", Details="503")])
    finish = numbered_actions(failed["actions"])[-1]
    assert finish["functionName"] == "synthetic_finish"
    outcome = json.loads(finish["input"])
    assert outcome["status"] == "failed" and "customers batch at 25" in outcome["error"]
    assert len(numbered_actions(failed["actions"])) == 5  # no second stage was scheduled


def test_a_refused_begin_writes_nothing() -> None:
    refused = replay([*scheduled(0, "synthetic_begin"),
                      event(EventType.TaskCompleted, TaskScheduledId=0, Result="false")])
    assert refused["isDone"] and refused["output"]["status"] == "refused"
    assert len(numbered_actions(refused["actions"])) == 1
