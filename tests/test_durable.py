"""Durable Functions on the local host: replay, timers, events, sub-orchestrations, crashes."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local.host.durable.history import utc_now
from local.stack import Endpoints
from shared.conversation.tracking import new_state
from tests.hosting import HostProcess, ProbeHost, product_host, wait_for


@pytest.fixture
def host(tmp_path: Path, stack: Endpoints) -> Iterator[ProbeHost]:
    """A host of its own per test: these tests kill and restart it."""
    running = ProbeHost(tmp_path, env=stack.as_settings())
    yield running.start()
    running.stop()


def status(host: ProbeHost, instance_id: str) -> dict:
    with host.client("system") as http:
        return http.get(f"/runtime/webhooks/durabletask/instances/{instance_id}").json()


def start(host: ProbeHost, name: str, instance_id: str, payload: object) -> int:
    with host.client() as http:
        return http.post(f"/api/orchestrations/{name}/{instance_id}", json=payload).status_code


def approve(host: ProbeHost, instance_id: str) -> None:
    with host.client() as http:
        answer = http.post(f"/api/orchestrations/{instance_id}/events/Approve", json={"by": "supervisor"})
        assert answer.status_code == 202


def finished(host: ProbeHost, instance_id: str, timeout_seconds: float = 20) -> dict:
    return wait_for(lambda: (s := status(host, instance_id))["runtimeStatus"] in {"Completed", "Failed"} and s,
                    timeout_seconds)


def test_fan_out_timer_event_and_sub_orchestration_complete(host: ProbeHost) -> None:
    started = time.monotonic()
    assert start(host, "fan_out_timer_event", "order-1", {"steps": [1, 2, 3]}) == 202
    waiting = wait_for(lambda: (s := status(host, "order-1"))["customStatus"] == "waiting for Approve" and s)
    assert time.monotonic() - started >= 1.0  # the durable timer held it for a second
    assert waiting["runtimeStatus"] == "Running"
    approve(host, "order-1")
    done = finished(host, "order-1")
    assert done["runtimeStatus"] == "Completed"
    assert done["output"] == {"results": ["step 1 done", "step 2 done", "step 3 done"],
                              "approval": '{"by": "supervisor"}', "child": 6}  # as the extension delivers it
    with host.client("system") as http:
        history = http.get("/runtime/webhooks/durabletask/instances/order-1", params={"showHistory": "true"}).json()
    kinds = Counter(e["EventType"] for e in history["historyEvents"])
    assert kinds["TaskScheduled"] == 3 and kinds["TimerFired"] == 1 and kinds["EventRaised"] == 1
    assert kinds["SubOrchestrationInstanceCompleted"] == 1


def test_same_instance_id_started_twice_runs_once(host: ProbeHost) -> None:
    assert start(host, "fan_out_timer_event", "call-42", {"steps": [1]}) == 202
    assert start(host, "fan_out_timer_event", "call-42", {"steps": [1]}) == 409
    wait_for(lambda: status(host, "call-42")["customStatus"] == "waiting for Approve")
    approve(host, "call-42")
    assert finished(host, "call-42")["runtimeStatus"] == "Completed"
    steps = [s for s in host.records("steps") if s["instance"] == "call-42"]
    assert len(steps) == 1


def test_a_failing_activity_fails_the_orchestration_with_its_reason(host: ProbeHost) -> None:
    assert start(host, "failing", "doomed", None) == 202
    failed = finished(host, "doomed")
    assert failed["runtimeStatus"] == "Failed"
    assert "activity refused its input" in failed["output"]


def test_terminate_and_purge(host: ProbeHost) -> None:
    assert start(host, "fan_out_timer_event", "stop-me", {"steps": []}) == 202
    wait_for(lambda: status(host, "stop-me")["customStatus"] == "waiting for Approve")
    with host.client("system") as http:
        base = "/runtime/webhooks/durabletask/instances/stop-me"
        assert http.post(f"{base}/terminate", params={"reason": "caller hung up"}).status_code == 202
        assert http.get(base).json()["runtimeStatus"] == "Terminated"
        gone = http.post(f"{base}/raiseEvent/Approve", json={})
        assert gone.status_code == 410
        assert http.delete(base).json() == {"instancesDeleted": 1}
        assert http.get(base).status_code == 404


def test_host_killed_while_waiting_resumes_without_rerunning_completed_activities(host: ProbeHost) -> None:
    assert start(host, "fan_out_timer_event", "crash-1", {"steps": [1, 2, 3]}) == 202
    wait_for(lambda: status(host, "crash-1")["customStatus"] == "waiting for Approve")
    host.kill()
    host.start()
    approve(host, "crash-1")
    assert finished(host, "crash-1")["runtimeStatus"] == "Completed"
    steps = Counter(s["step"] for s in host.records("steps") if s["instance"] == "crash-1")
    assert steps == {1: 1, 2: 1, 3: 1}


def test_host_killed_during_an_activity_reruns_it_and_the_effect_applies_once(host: ProbeHost) -> None:
    assert start(host, "slow_then_done", "crash-2", 2) == 202
    wait_for(lambda: host.records("slow_attempts"))
    host.kill()
    host.start()
    done = finished(host, "crash-2")
    assert done["runtimeStatus"] == "Completed"
    assert len(host.records("slow_attempts")) == 2
    assert done["output"] == "already applied"
    assert len(list(host.output.glob("applied-slow-crash-2"))) == 1


def test_continue_as_new_starts_a_fresh_history_and_keeps_early_events(host: ProbeHost) -> None:
    assert start(host, "countdown", "loop-1", {"left": 3, "ticks": []}) == 202
    with host.client("system") as http:
        for tick in range(3):  # raised at once: events for later executions must not be lost
            http.post("/runtime/webhooks/durabletask/instances/loop-1/raiseEvent/tick", json=tick)
    done = finished(host, "loop-1")
    assert done["runtimeStatus"] == "Completed"
    assert done["output"] == {"left": 0, "ticks": [0, 1, 2]}
    with host.client("system") as http:
        history = http.get("/runtime/webhooks/durabletask/instances/loop-1", params={"showHistory": "true"}).json()
    assert sum(e["EventType"] == "EventRaised" for e in history["historyEvents"]) == 0  # only the last execution


def test_terminate_during_an_episode_is_not_overwritten_by_it(host: ProbeHost) -> None:
    assert start(host, "slow_replay", "race-1", None) == 202
    wait_for(lambda: host.records("slow_replays"))  # the first episode is replaying now
    with host.client("system") as http:
        base = "/runtime/webhooks/durabletask/instances/race-1"
        assert http.post(f"{base}/terminate", params={"reason": "stop"}).status_code == 202
    time.sleep(2.0)  # the episode that was under way has ended by now
    assert status(host, "race-1")["runtimeStatus"] == "Terminated"
    assert [s for s in host.records("steps") if s["instance"] == "race-1"] == []


def test_continue_as_new_drops_the_old_executions_timers(host: ProbeHost) -> None:
    assert start(host, "timer_or_next", "cn-timer", {"round": 0}) == 202
    with host.client("system") as http:
        wait_for(lambda: status(host, "cn-timer")["runtimeStatus"] == "Running")
        http.post("/runtime/webhooks/durabletask/instances/cn-timer/raiseEvent/next", json=True)
    time.sleep(3.5)  # past round 0's timer: it must not fire round 1's
    assert status(host, "cn-timer")["runtimeStatus"] == "Running"
    with host.client("system") as http:
        http.post("/runtime/webhooks/durabletask/instances/cn-timer/raiseEvent/next", json=True)
    assert finished(host, "cn-timer")["output"] == {"round": 1, "winner": "next"}


def test_purge_refuses_a_running_instance_as_the_extension_does(host: ProbeHost) -> None:
    assert start(host, "fan_out_timer_event", "keep-me", {"steps": [1]}) == 202
    wait_for(lambda: status(host, "keep-me")["customStatus"] == "waiting for Approve")
    with host.client("system") as http:
        refused = http.delete("/runtime/webhooks/durabletask/instances/keep-me")
        assert refused.status_code == 412
        assert "Only orchestrations in a terminal state can be purged" in refused.json()
    approve(host, "keep-me")
    assert finished(host, "keep-me")["runtimeStatus"] == "Completed"


def history_kinds(host: ProbeHost, instance_id: str) -> list[str]:
    with host.client("system") as http:
        shown = http.get(f"/runtime/webhooks/durabletask/instances/{instance_id}", params={"showHistory": "true"})
    skip = {"OrchestratorStarted", "OrchestratorCompleted", "ExecutionStarted"}
    return [e["EventType"] for e in shown.json()["historyEvents"] if e["EventType"] not in skip]


def test_docs_retry_sample_survives_a_kill_between_attempts(tmp_path: Path, stack: Endpoints) -> None:
    sample = HostProcess("tests.apps.retry_sample_app:app", tmp_path,
                         env={**stack.as_settings(), "RETRY_SAMPLE_DIR": str(tmp_path)})
    attempts = tmp_path / "attempts.log"
    try:
        sample.start()
        with httpx.Client(timeout=30) as http:
            started = http.post(f"{sample.base_url}/api/orchestrators/orchestrator_function")
            assert started.status_code == 202
            status_path = httpx.URL(started.json()["statusQueryGetUri"])
            # The first attempt failed and its 5 s retry timer is pending.
            wait_for(lambda: "TimerCreated" in history_kinds(sample, started.json()["id"]))
            sample.kill()
            sample.start()
            url = status_path.copy_with(port=httpx.URL(sample.base_url).port)  # the link's own key

            def ended() -> dict | None:
                body = http.get(url).json()
                return body if body["runtimeStatus"] in {"Completed", "Failed"} else None
            done = wait_for(ended, 40)
        assert done["runtimeStatus"] == "Completed"
        assert done["output"] == "succeeded on attempt 3"
        assert len(attempts.read_text().splitlines()) == 3
        assert history_kinds(sample, done["instanceId"]) == [
            "TaskScheduled", "TaskFailed", "TimerCreated", "TimerFired",
            "TaskScheduled", "TaskFailed", "TimerCreated", "TimerFired",
            "TaskScheduled", "TaskCompleted"]
    finally:
        sample.stop()


def test_exhausted_retries_raise_then_later_tasks_get_their_own_ids(host: ProbeHost) -> None:
    assert start(host, "retry_then_fan_out", "retry-1", {"first_ms": 300}) == 202
    done = finished(host, "retry-1", 30)
    assert done["runtimeStatus"] == "Completed", done["output"]
    assert "the dependency is down" in done["output"]["outcome"]
    assert done["output"]["doubled"] == [0, 2, 4, 6, 8] and done["output"]["child"] == "child ok"
    assert len([r for r in host.records("always_fails") if r["instance"] == "retry-1"]) == 3
    kinds = history_kinds(host, "retry-1")
    # The SDK waits for a timer after the last failed attempt too, as the extension's retry loop creates one.
    assert kinds[:12] == ["TaskScheduled", "TaskFailed", "TimerCreated", "TimerFired"] * 3
    assert kinds.count("SubOrchestrationInstanceFailed") == 1
    assert kinds.count("SubOrchestrationInstanceCompleted") == 1


def test_backoff_coefficient_and_max_interval_space_the_attempts(host: ProbeHost) -> None:
    assert start(host, "retry_then_fan_out", "retry-2", {"first_ms": 500, "backoffCoefficient": 4,
                                                             "maxRetryIntervalInMilliseconds": 1000}) == 202
    assert finished(host, "retry-2", 30)["runtimeStatus"] == "Completed"
    at = [r["at"] for r in host.records("always_fails") if r["instance"] == "retry-2"]
    first, second = (b - a for a, b in itertools.pairwise(at))
    assert first >= 0.5
    assert 1.0 <= second < 1.9  # 500 * 4 = 2000 ms, capped at 1000 ms


def test_bodies_are_read_as_the_extension_reads_them(host: ProbeHost) -> None:
    base = "/runtime/webhooks/durabletask"
    with host.client("system") as http:
        # Straight to the HTTP API: a JSON string body stays a string, for the input and the event.
        assert http.post(f"{base}/orchestrators/echo_event/body-1", json="9361").status_code == 202
        wait_for(lambda: status(host, "body-1")["runtimeStatus"] == "Running")
        assert http.post(f"{base}/instances/body-1/raiseEvent/value", content=b'"9361"',
                         headers={"content-type": "text/plain"}).status_code == 400
        assert http.post(f"{base}/instances/body-1/raiseEvent/value", content=b"{not json",
                         headers={"content-type": "application/json"}).status_code == 400
        assert http.post(f"{base}/instances/body-1/raiseEvent/value", json="9361").status_code == 202
        assert http.post(f"{base}/orchestrators/echo_event/body-x", content=b"{not json").status_code == 400
    done = finished(host, "body-1")["output"]
    # The input text is what the orchestrator parses: the JSON string "9361" holds the JSON number 9361.
    assert done["input"] == 9361
    assert done["value"] == "9361" and done["type"] == "str"

    # Through the SDK's client, which double-encodes: the event data arrives as the JSON text it sent.
    assert start(host, "echo_event", "body-2", {"n": 1}) == 202
    wait_for(lambda: status(host, "body-2")["runtimeStatus"] == "Running")
    with host.client() as http:
        assert http.post("/api/orchestrations/body-2/events/value", json={"ok": True}).status_code == 202
    done = finished(host, "body-2")["output"]
    assert done["input"] == {"n": 1} and done["input_type"] == "dict"
    assert done["value"] == '{"ok": true}' and done["type"] == "str"


def test_malformed_events_do_not_fail_the_conversation_orchestration(tmp_path: Path, stack: Endpoints) -> None:
    product = product_host(tmp_path, stack.as_settings())
    base = "/runtime/webhooks/durabletask"
    garbage = ["not json {", "9361", [1, 2], {"tools": "end_call"}, {"tools": [{"name": "end_call"}]},
               {"handoffs": [{"to": "x"}]}, {"kind": 7}, {"tools": [{"name": "end_call", "ok": "yes"}]}]
    try:
        product.start()
        with product.client("system") as http:
            state = new_state("session-1", "router")
            assert http.post(f"{base}/orchestrators/conversation_orchestrator/conv-1",
                             json={"state": state}).status_code == 202
            for payload in garbage:
                assert http.post(f"{base}/instances/conv-1/raiseEvent/activity", json=payload).status_code == 202
            turn = {"kind": "turn", "handoffs": ["customer_data"], "tools": []}
            http.post(f"{base}/instances/conv-1/raiseEvent/activity", json=turn)
            # As the SDK's client sends it: JSON text inside a JSON string.
            ending = json.dumps({"kind": "tool", "handoffs": [], "tools": [{"name": "end_call", "ok": True}]})
            http.post(f"{base}/instances/conv-1/raiseEvent/activity", json=ending)

            def ended() -> dict | None:
                body = http.get(f"{base}/instances/conv-1").json()
                return body if body["runtimeStatus"] in {"Completed", "Failed"} else None
            done = wait_for(ended, 30)
        assert done["runtimeStatus"] == "Completed", done["output"]
        assert done["output"]["status"] == "ended" and done["output"]["events"] == 2
        assert done["output"]["agents"] == ["router", "customer_data"]
        assert done["output"]["tool_counts"] == {"end_call": 1}
    finally:
        product.stop()


def client_call(host: ProbeHost, op: str, **args: object) -> dict:
    """One call of the SDK's DurableOrchestrationClient, made inside a client function of the app."""
    with host.client() as http:
        return http.post(f"/api/client/{op}", json=args).json()


def listed(host: ProbeHost, **params: str) -> list[list[str]]:
    """Every page of an instance query, followed through its continuation tokens."""
    pages, token = [], None
    with host.client("system") as http:
        while True:
            headers = {"x-ms-continuation-token": token} if token else {}
            answer = http.get("/runtime/webhooks/durabletask/instances", params=params, headers=headers)
            assert answer.status_code == 200, answer.text
            pages.append([s["instanceId"] for s in answer.json()])
            token = answer.headers.get("x-ms-continuation-token")
            if not token:
                return pages


def test_instance_queries_page_and_filter(host: ProbeHost) -> None:
    for name in ("q-a-1", "q-a-2", "q-a-3"):
        assert start(host, "echo_event", name, None) == 202
    between = utc_now().isoformat()
    for name in ("q-b-1", "q-b-2", "q-b-3", "q-b-4"):
        assert start(host, "echo_event", name, None) == 202
    wait_for(lambda: all(status(host, f"q-b-{n}")["runtimeStatus"] == "Running" for n in range(1, 5)))
    assert listed(host, top="3", instanceIdPrefix="q-") == [
        ["q-a-1", "q-a-2", "q-a-3"], ["q-b-1", "q-b-2", "q-b-3"], ["q-b-4"]]
    assert listed(host, createdTimeFrom=between, instanceIdPrefix="q-") == [["q-b-1", "q-b-2", "q-b-3", "q-b-4"]]
    assert listed(host, createdTimeTo=between, runtimeStatus="Running,Pending", instanceIdPrefix="q-") == [
        ["q-a-1", "q-a-2", "q-a-3"]]
    assert listed(host, runtimeStatus="Completed", instanceIdPrefix="q-") == [[]]
    with host.client("system") as http:
        base = "/runtime/webhooks/durabletask/instances"
        assert http.get(base, params={"runtimeStatus": "Done"}).status_code == 400
        assert http.get(base, params={"createdTimeFrom": "yesterday"}).status_code == 400
        assert http.get(base, headers={"x-ms-continuation-token": "garbage"}).status_code == 400
    # The SDK's own queries.
    by = client_call(host, "get_status_by", **{"from": between, "statuses": ["Running"]})["result"]
    assert {"q-b-1", "q-b-2", "q-b-3", "q-b-4"} <= set(by) and "q-a-1" not in by
    assert {"q-a-1", "q-b-4"} <= set(client_call(host, "get_status_all")["result"])


def test_bulk_purge_deletes_only_finished_instances(host: ProbeHost) -> None:
    since = utc_now().isoformat()
    for name in ("p-1", "p-2", "p-3"):
        assert start(host, "echo_event", name, None) == 202
    with host.client("system") as http:
        wait_for(lambda: all(status(host, n)["runtimeStatus"] == "Running" for n in ("p-1", "p-2", "p-3")))
        for name in ("p-1", "p-2"):
            http.post(f"/runtime/webhooks/durabletask/instances/{name}/raiseEvent/value", json=1)
        wait_for(lambda: all(status(host, n)["runtimeStatus"] == "Completed" for n in ("p-1", "p-2")))
        assert http.delete("/runtime/webhooks/durabletask/instances").status_code == 400  # createdTimeFrom needed
    assert client_call(host, "purge_by", **{"from": since}) == {"result": 2}
    assert client_call(host, "purge_by", **{"from": since}) == {"result": 0}  # 404: nothing left to purge
    assert status(host, "p-3")["runtimeStatus"] == "Running"
    with host.client("system") as http:
        assert http.get("/runtime/webhooks/durabletask/instances/p-1").status_code == 404


def test_suspended_instance_buffers_events_until_resumed(host: ProbeHost) -> None:
    assert start(host, "echo_event", "pause-1", None) == 202
    wait_for(lambda: status(host, "pause-1")["runtimeStatus"] == "Running")
    assert client_call(host, "suspend", id="pause-1") == {"result": None}
    wait_for(lambda: status(host, "pause-1")["runtimeStatus"] == "Suspended")
    with host.client("system") as http:
        assert http.post("/runtime/webhooks/durabletask/instances/pause-1/raiseEvent/value",
                         json="held").status_code == 202
    time.sleep(1.0)
    assert status(host, "pause-1")["runtimeStatus"] == "Suspended"
    assert client_call(host, "resume", id="pause-1") == {"result": None}
    assert finished(host, "pause-1")["output"]["value"] == "held"
    kinds = history_kinds(host, "pause-1")
    assert kinds.index("ExecutionSuspended") < kinds.index("ExecutionResumed") < kinds.index("EventRaised")


def test_rewind_reruns_only_the_failed_activity(host: ProbeHost) -> None:
    assert start(host, "fails_until_fixed", "rw-1", None) == 202
    assert finished(host, "rw-1")["runtimeStatus"] == "Failed"
    (host.output / "fixed").touch()
    assert client_call(host, "rewind", id="rw-1") == {"result": None}
    done = finished(host, "rw-1")
    assert done["runtimeStatus"] == "Completed" and done["output"] == ["step before done", "fixed"]
    assert len([s for s in host.records("steps") if s["instance"] == "rw-1"]) == 1
    assert len([s for s in host.records("needs_fix") if s["instance"] == "rw-1"]) == 2
    refused = client_call(host, "rewind", id="rw-1")["error"]  # not Failed any more: the SDK shows the message
    assert refused == ('This orchestration has status Completed, but only orchestrations in the "Failed" state'
                       " can be rewound.")


def test_restart_runs_the_orchestration_again_with_its_input(host: ProbeHost) -> None:
    assert start(host, "echo_event", "again-1", {"n": 5}) == 202
    wait_for(lambda: status(host, "again-1")["runtimeStatus"] == "Running")
    assert "409" in client_call(host, "restart", id="again-1", new_id=False)["error"]  # still running
    with host.client("system") as http:
        http.post("/runtime/webhooks/durabletask/instances/again-1/raiseEvent/value", json=1)
    assert finished(host, "again-1")["runtimeStatus"] == "Completed"
    # The SDK hands back the extension's check-status payload.
    same = client_call(host, "restart", id="again-1", new_id=False)["result"]
    assert same["id"] == "again-1"
    wait_for(lambda: status(host, "again-1")["runtimeStatus"] == "Running")
    other = client_call(host, "restart", id="again-1")["result"]["id"]
    assert other != "again-1"
    wait_for(lambda: status(host, other)["runtimeStatus"] == "Running")
    with host.client("system") as http:
        http.post(f"/runtime/webhooks/durabletask/instances/{other}/raiseEvent/value", json=2)
    assert finished(host, other)["output"]["input"] == {"n": 5}


def test_entities_are_refused_with_one_line_at_the_call(host: ProbeHost) -> None:
    for op in ("signal_entity", "read_entity_state"):
        assert "unexpected status code 501" in client_call(host, op)["error"]
    assert "Durable entities are not supported by the local host (POST entities/Counter/c1" in host.log_tail()
    with host.client("system") as http:
        answer = http.get("/runtime/webhooks/durabletask/entities/Counter/c1")
        assert answer.status_code == 501 and "not supported" in answer.json()["error"]


def test_every_check_status_link_works_with_the_key_it_carries(host: ProbeHost) -> None:
    with host.client() as http:
        links = http.post("/api/orchestrations/fails_until_fixed/links-1").json()
    wait_for(lambda: status(host, "links-1")["runtimeStatus"] == "Failed")
    (host.output / "fixed").touch()
    with httpx.Client(timeout=30) as anonymous:  # no header: only what each link carries
        assert anonymous.get(links["statusQueryGetUri"]).json()["runtimeStatus"] == "Failed"
        assert anonymous.post(links["rewindPostUri"].replace("{text}", "retry")).status_code == 202
        wait_for(lambda: anonymous.get(links["statusQueryGetUri"]).json()["runtimeStatus"] == "Completed")
        restarted = anonymous.post(links["restartPostUri"])
        assert restarted.status_code == 202 and restarted.json()["id"] != "links-1"
        assert anonymous.delete(links["purgeHistoryDeleteUri"]).json() == {"instancesDeleted": 1}

        assert start(host, "echo_event", "links-2", None) == 202
        other = {k: v.replace("links-1", "links-2") for k, v in links.items() if isinstance(v, str)}
        wait_for(lambda: status(host, "links-2")["runtimeStatus"] == "Running")
        assert anonymous.post(other["suspendPostUri"].replace("{text}", "pause")).status_code == 202
        wait_for(lambda: status(host, "links-2")["runtimeStatus"] == "Suspended")
        assert anonymous.post(other["resumePostUri"].replace("{text}", "go")).status_code == 202
        wait_for(lambda: status(host, "links-2")["runtimeStatus"] == "Running")
        assert anonymous.post(other["sendEventPostUri"].replace("{eventName}", "value"), json=3).status_code == 202
        assert finished(host, "links-2")["output"]["value"] == 3
        assert start(host, "echo_event", "links-3", None) == 202
        third = other["terminatePostUri"].replace("links-2", "links-3").replace("{text}", "bye")
        wait_for(lambda: status(host, "links-3")["runtimeStatus"] == "Running")
        assert anonymous.post(third).status_code == 202
        assert status(host, "links-3")["runtimeStatus"] == "Terminated"


def test_an_entity_function_is_refused_at_start_in_one_line(tmp_path: Path) -> None:
    host = HostProcess("tests.apps.entity_app:app", tmp_path).start()
    try:
        lines = [line for line in host.log_tail().splitlines() if "Counter" in line]
        assert len(lines) == 1 and "entityTrigger" in lines[0] and "not served" in lines[0]
    finally:
        host.stop()


def test_retries_fanned_out_together_keep_the_sdks_ids_apart(host: ProbeHost) -> None:
    assert start(host, "retry_fan_out", "retry-fan", None) == 202
    done = finished(host, "retry-fan", 30)
    assert done["runtimeStatus"] == "Completed", done["output"]
    assert done["output"] == {"results": ["child ok", "child ok", "child ok", 10], "after": 42}
    kinds = Counter(history_kinds(host, "retry-fan"))
    assert kinds["TaskFailed"] == 3 and kinds["TimerFired"] == 3 and kinds["TaskScheduled"] == 3 + 3 + 1 + 1


def test_past_the_retry_timeout_no_attempt_runs_and_the_sdk_still_gets_its_timers(host: ProbeHost) -> None:
    assert start(host, "retry_then_fan_out", "retry-3", {"first_ms": 300, "retryTimeoutInMilliseconds": 1}) == 202
    done = finished(host, "retry-3", 30)
    assert done["runtimeStatus"] == "Completed", done["output"]
    assert "retry timeout of 1 ms exceeded" in done["output"]["outcome"]
    assert len([r for r in host.records("always_fails") if r["instance"] == "retry-3"]) == 1
