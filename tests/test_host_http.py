"""HTTP triggers, keys, Event Grid deliveries and bad input, through a real host process."""

from __future__ import annotations

import uuid

from tests.hosting import ProbeHost, wait_for


def test_route_parameters_constraints_and_query(probe_host: ProbeHost) -> None:
    with probe_host.client() as http:
        found = http.get("/api/items/42", params={"q": "red"})
        assert found.status_code == 200
        assert found.json() == {"id": 42, "q": "red"}
        assert http.get("/api/Items/7/").json()["id"] == 7  # case-insensitive, trailing slash
        assert http.get("/api/items/forty-two").status_code == 404  # the int constraint
        wrong_method = http.post("/api/items/42")
        assert wrong_method.status_code == 405
        assert wrong_method.headers["allow"] == "GET"


def test_function_keys(probe_host: ProbeHost) -> None:
    with probe_host.client(key=None) as anonymous:
        refused = anonymous.get("/api/items/1")
        assert refused.status_code == 401
        assert "x-functions-key" in refused.json()["error"]
        assert anonymous.get("/api/items/1", params={"code": "wrong"}).status_code == 401
        assert anonymous.get("/api/items/1", params={"code": probe_host.keys.function_key}).status_code == 200
        assert anonymous.post("/api/public/echo", content=b"hi").content == b"hi"
    with probe_host.client("function") as http:
        assert http.get("/api/operator").status_code == 401  # admin level wants the master key
    with probe_host.client("master") as admin:
        assert admin.get("/api/operator").text == "admin only"
    with probe_host.client("system") as system:
        assert system.get("/api/items/1").status_code == 401  # the system key opens webhooks only


def test_eventgrid_validation_handshake(probe_host: ProbeHost) -> None:
    validation = [{
        "id": str(uuid.uuid4()), "topic": "/subscriptions/x", "subject": "", "dataVersion": "1",
        "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", "eventTime": "2026-11-25T02:00:00.0000000Z",
        "data": {"validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", "validationUrl": "https://example"},
    }]
    with probe_host.client("system") as http:
        answer = http.post("/runtime/webhooks/eventgrid", params={"functionName": "on_event"}, json=validation,
                           headers={"aeg-event-type": "SubscriptionValidation"})
        assert answer.status_code == 200
        assert answer.json() == {"validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}
        options = http.options("/runtime/webhooks/eventgrid", params={"functionName": "on_event"},
                               headers={"WebHook-Request-Origin": "eventgrid.azure.net"})
        assert options.headers["webhook-allowed-origin"] == "eventgrid.azure.net"
    with probe_host.client(key=None) as anonymous:
        assert anonymous.post("/runtime/webhooks/eventgrid", params={"functionName": "on_event"},
                              json=validation).status_code == 401


def incoming_call(event_id: str) -> dict:
    return {
        "id": event_id, "topic": "/subscriptions/x/providers/Microsoft.Communication/communicationServices/z",
        "subject": "/caller/4:+15550100/recipient/4:+15550199", "eventType": "Microsoft.Communication.IncomingCall",
        "eventTime": "2026-11-25T02:00:00.1234567Z", "dataVersion": "1.0", "metadataVersion": "1",
        "data": {"from": {"kind": "phoneNumber", "rawId": "4:+15550100"}, "incomingCallContext": "opaque"},
    }


def test_eventgrid_delivers_each_event_of_an_array_and_cloudevents(probe_host: ProbeHost) -> None:
    ids = [str(uuid.uuid4()) for _ in range(2)]
    cloud_id = str(uuid.uuid4())
    with probe_host.client("system") as http:
        delivered = http.post("/runtime/webhooks/eventgrid", params={"functionName": "on_event"},
                              json=[incoming_call(i) for i in ids])
        assert delivered.status_code == 202
        cloud = {"specversion": "1.0", "id": cloud_id, "source": "/acs",
                 "type": "Microsoft.Communication.CallConnected",
                 "time": "2026-11-25T02:00:00.123456+00:00", "data": {"callConnectionId": "c1"}}
        assert http.post("/runtime/webhooks/eventgrid", params={"functionName": "on_event"}, json=cloud,
                         headers={"content-type": "application/cloudevents+json"}).status_code == 202
    events = {e["id"]: e for e in probe_host.records("events")}
    assert events[ids[0]]["type"] == "Microsoft.Communication.IncomingCall"
    assert events[ids[1]]["data"]["from"]["rawId"] == "4:+15550100"
    assert events[cloud_id]["type"] == "Microsoft.Communication.CallConnected"


def test_bad_input_gets_a_precise_4xx_and_the_host_keeps_serving(probe_host: ProbeHost) -> None:
    webhook = {"functionName": "on_event"}
    with probe_host.client("system") as http:
        malformed = http.post("/runtime/webhooks/eventgrid", params=webhook, content=b"[{not json")
        assert malformed.status_code == 400 and "not JSON" in malformed.json()["error"]
        missing = incoming_call(str(uuid.uuid4()))
        del missing["eventType"]
        wrong_schema = http.post("/runtime/webhooks/eventgrid", params=webhook, json=[missing])
        assert wrong_schema.status_code == 400 and "lacks eventType" in wrong_schema.json()["error"]
        not_array = http.post("/runtime/webhooks/eventgrid", params=webhook, json=incoming_call("x"))
        assert not_array.status_code == 400 and "arrays" in not_array.json()["error"]
        unknown = http.post("/runtime/webhooks/eventgrid", params={"functionName": "nope"}, json=[])
        assert unknown.status_code == 404 and "nope" in unknown.json()["error"]
        bad_start = http.post("/runtime/webhooks/durabletask/orchestrators/fan_out_timer_event", content=b"{oops")
        assert bad_start.status_code == 400 and "Invalid JSON content" in bad_start.json()["error"]
        unknown_orchestrator = http.post("/runtime/webhooks/durabletask/orchestrators/nothing_here", json={})
        assert unknown_orchestrator.status_code == 400 and "nothing_here" in unknown_orchestrator.json()["error"]
    with probe_host.client() as http:
        oversized = http.post("/api/public/echo", content=b"x" * (probe_host.max_body_bytes + 1))
        assert oversized.status_code == 413 and "at most" in oversized.json()["error"]
        assert http.get("/api/no/such/function").status_code == 404
        failing = http.get("/api/broken")
        assert failing.status_code == 500 and "RuntimeError" in failing.json()["error"]
        assert "always fails" not in failing.text  # no exception details leak to callers
        assert http.get("/api/items/5").json()["id"] == 5
    assert "invocation function=broken trigger=httpTrigger" in probe_host.log_tail(20000)


def test_one_log_line_per_invocation(probe_host: ProbeHost) -> None:
    with probe_host.client() as http:
        marker = uuid.uuid4().hex
        http.get("/api/items/99", params={"q": marker})
    lines = wait_for(lambda: [line for line in probe_host.log_tail(50000).splitlines()
                              if "function=get_item" in line])
    last = lines[-1]
    for field in ("trigger=httpTrigger", "duration_ms=", "outcome=200", "id="):
        assert field in last
