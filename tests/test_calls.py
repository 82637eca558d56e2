"""Inbound phone calls through the ACS simulator: IncomingCall, the SDK's signed answer, callbacks, the call's
orchestration, the post-call record."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from local.acs.simulator import AcsSimulator, correlation_of
from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 6, "products": 8, "purchases": 10,
           "conversations": 3, "seed": 5}
HUMAN_LINE = "+18005550199"
FAREWELL_SECONDS = 6
# The IncomingCall sample of the Azure SDK for Go's Event Grid system-event tests
# (Azure/azure-sdk-for-go, sdk/messaging/eventgrid/azsystemevents, TestConsumeAcsIncomingCallEvent): a VoIP
# caller (communicationUser), custom SIP and VoIP headers, 7 fractional digits in eventTime.
SDK_SAMPLE = {
    "id": "e80026e7-e298-46ba-bc42-dab0eda92581",
    "topic": "/subscriptions/{subscription-id}/resourceGroups/{group-name}/providers/Microsoft.Communication/"
             "communicationServices/{communication-services-resource-name}",
    "subject": "/caller/{caller-id}/recipient/{recipient-id}",
    "data": {"to": {"kind": "communicationUser", "rawId": "{recipient-id}",
                    "communicationUser": {"id": "{recipient-id}"}},
             "from": {"kind": "communicationUser", "rawId": "{caller-id}", "communicationUser": {"id": "{caller-id}"}},
             "serverCallId": "{server-call-id}", "callerDisplayName": "VOIP Caller",
             "customContext": {"sipHeaders": {"userToUser": "616d617a6f6e5f6368696;encoding=hex",
                                              "X-MS-Custom-myheader1": "35567842",
                                              "X-MS-Custom-myheader2": "customsipheadervalue"},
                               "voipHeaders": {"customHeader": "customValue"}},
             "incomingCallContext": "{incoming-call-contextValue}", "correlationId": "correlationId"},
    "eventType": "Microsoft.Communication.IncomingCall", "dataVersion": "1.0", "metadataVersion": "1",
    "eventTime": "2023-04-04T17:18:42.5542219Z"}


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[tuple[HostProcess, AcsSimulator]]:
    workdir: Path = tmp_path_factory.mktemp("calls")
    simulator = AcsSimulator(workdir / "acs", host_url="", system_key="")
    with simulator.serving():
        host = product_host(workdir, stack.as_settings(), ACS_CONNECTION_STRING=simulator.connection_string,
                            ACS_VERIFY_TLS=str(simulator.certificate), CALL_CONNECT_SECONDS="3",
                            CALL_FAREWELL_SECONDS=str(FAREWELL_SECONDS), HUMAN_AGENT_PHONE=HUMAN_LINE)
        host.start()
        simulator.host_url, simulator.system_key = host.base_url, host.keys.system_key
        assert generate_company(host, COMPANY)["result"]["status"] == "complete"
        yield host, simulator
        host.stop()


def customer_phone(host: HostProcess, index: int) -> dict:
    with host.client("master") as http:
        return http.get("/api/admin/customers", params={"limit": index + 1}).json()["items"][index]


def answers_for(simulator: AcsSimulator, correlation_id: str) -> list:
    return [r for r in simulator.requests
            if r.path.endswith(":answer") and correlation_of(r.body["incomingCallContext"]) == correlation_id]


def orchestration(host: HostProcess, call_id: str) -> dict:
    with host.client("system") as http:
        found = http.get(f"/runtime/webhooks/durabletask/instances/{call_id}")
    return found.json() if found.status_code in (200, 202) else {}


class Call:
    """A call placed through the simulator and answered by the product."""

    def __init__(self, host: HostProcess, simulator: AcsSimulator, caller: str) -> None:
        self.host, self.simulator = host, simulator
        self.event = simulator.incoming_call(caller)
        self.correlation_id = self.event[0]["data"]["correlationId"]
        assert simulator.ring(caller, self.event).status_code in (200, 202)
        self.answer = wait_for(lambda: answers_for(simulator, self.correlation_id))[0]
        self.connection_id = next(c.connection_id for c in simulator.calls.values()
                                  if c.correlation_id == self.correlation_id)
        callback = urlparse(self.answer.body["callbackUri"])
        self.call_id = callback.path.split("/")[3]
        self.callback_path, self.callback_token = callback.path, parse_qs(callback.query)["token"][0]
        media = urlparse(self.answer.body["mediaStreamingOptions"]["transportUrl"])
        self.media_token = parse_qs(media.query)["token"][0]

    def status(self) -> dict:
        return orchestration(self.host, self.call_id)

    def phase(self, phase: str) -> dict:
        return wait_for(lambda: ((s := self.status()).get("customStatus") or {}).get("phase") == phase and s)

    def session(self) -> dict[str, str]:
        """What the media path gets for the call: its session, with a fresh token."""
        with self.host.client("service") as http:
            opened = http.post(f"/api/calls/{self.call_id}/session", headers={"x-media-token": self.media_token})
        assert opened.status_code == 201, opened.text
        return {"x-session-id": opened.json()["session_id"], "x-session-token": opened.json()["token"]}

    def callback(self, body: object, token: str | None = None) -> httpx.Response:
        with self.host.client(None) as http:
            return http.post(self.callback_path, params={"token": token or self.callback_token},
                             content=body if isinstance(body, bytes) else json.dumps(body).encode())


def test_an_incoming_call_is_answered_with_signed_request_and_bidirectional_media(phone) -> None:
    host, simulator = phone
    call = Call(host, simulator, customer_phone(host, 0)["phone"])
    assert call.answer.signed
    streaming = call.answer.body["mediaStreamingOptions"]
    assert {k: v for k, v in streaming.items() if k != "transportUrl"} == {
        "transportType": "websocket", "contentType": "audio", "audioChannelType": "mixed",
        "startMediaStreaming": True, "enableBidirectional": True, "audioFormat": "pcm24KMono"}
    assert f"/media/{call.call_id}?token=" in streaming["transportUrl"]
    assert call.answer.body["callbackUri"].startswith(f"{host.base_url}/api/calls/{call.call_id}/events?token=")
    connected = call.phase("connected")["customStatus"]
    assert [p["phase"] for p in connected["timeline"]] == ["ringing", "answered", "connected"]
    assert connected["channel"] == "phone" and connected["call"]["known_caller"] is True


def test_a_call_connected_before_the_answer_returned_still_connects(phone) -> None:
    """ACS's callbacks can overtake the answer's response: CallConnected then reaches the function before the
    call's orchestration (started once the answer returns) exists. It is held until it does, not lost."""
    host, simulator = phone
    simulator.answer_response_delay = 0.3
    try:
        call = Call(host, simulator, customer_phone(host, 0)["phone"])
        connected = call.phase("connected")["customStatus"]
    finally:
        simulator.answer_response_delay = 0.0
    assert [p["phase"] for p in connected["timeline"]] == ["ringing", "answered", "connected"]


def test_one_incoming_call_delivered_ten_times_at_once_is_answered_once(phone) -> None:
    host, simulator = phone
    event = simulator.incoming_call(customer_phone(host, 1)["phone"])
    correlation_id = event[0]["data"]["correlationId"]
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: simulator.ring("", event).status_code, range(10)))
    assert set(statuses) <= {200, 202}
    wait_for(lambda: answers_for(simulator, correlation_id))
    assert simulator.ring("", event).status_code in (200, 202)  # and once more, late
    assert len(answers_for(simulator, correlation_id)) == 1
    assert len([c for c in simulator.calls.values() if c.correlation_id == correlation_id]) == 1
    call_id = "call-" + hashlib.sha256(correlation_id.encode()).hexdigest()[:24]
    status = wait_for(lambda: ((s := orchestration(host, call_id)).get("customStatus") or {}).get("session_id") and s)
    assert status["runtimeStatus"] == "Running"  # one orchestration, with the call's one session


def test_callbacks_and_the_media_session_need_the_calls_own_token(phone) -> None:
    host, simulator = phone
    call, other = (Call(host, simulator, customer_phone(host, i)["phone"]) for i in (2, 3))
    call.phase("connected")
    before = call.status()["customStatus"]
    hang_up = [{"type": "Microsoft.Communication.CallDisconnected", "data": {"callConnectionId": call.connection_id}}]
    expired = "1000." + call.callback_token.split(".")[1]
    for token in ("", "garbage", other.callback_token, expired, call.media_token):
        assert call.callback(hang_up, token=token or "x").status_code == 401
    with host.client(None) as http:
        assert http.post(call.callback_path, json=hang_up).status_code == 401  # no token at all
    with host.client("service") as http:
        for token in ("", other.media_token, call.callback_token):
            assert http.post(f"/api/calls/{call.call_id}/session",
                             headers={"x-media-token": token}).status_code == 401
    with host.client(None) as http:  # the media token without the service key
        assert http.post(f"/api/calls/{call.call_id}/session",
                         headers={"x-media-token": call.media_token}).status_code == 401
    assert call.status()["runtimeStatus"] == "Running" and call.status()["customStatus"] == before


def test_malformed_callbacks_get_400_and_unknown_ones_are_ignored(phone) -> None:
    host, simulator = phone
    call = Call(host, simulator, customer_phone(host, 4)["phone"])
    call.phase("connected")
    for body in (b"not json", b"[]", [{"type": 5}], [{"type": "Microsoft.Communication.CallDisconnected",
                                                         "data": "oops"}], [1, 2], b"[" * 5000):
        assert call.callback(body).status_code == 400, body
    unknown = call.callback([{"type": "Microsoft.Communication.RecognizeCompleted", "data": {}}])
    assert unknown.status_code == 200 and unknown.json() == {"accepted": [], "ignored": ["RecognizeCompleted"]}
    with host.client(None) as http:
        assert http.get("/api/health").status_code == 200
    assert call.status()["runtimeStatus"] == "Running"


def test_a_hang_up_leaves_the_post_call_conversation_on_the_dashboard(phone) -> None:
    host, simulator = phone
    me = customer_phone(host, 5)
    with host.client("master") as http:
        before = http.get("/api/admin/dashboard").json()["conversations"]
    call = Call(host, simulator, me["phone"])
    call.phase("connected")
    headers = call.session()
    with host.client("service") as http:
        said = http.post("/api/chat", json={"message": "What products do you have in stock?"}, headers=headers)
        assert said.status_code == 200, said.text
        http.post("/api/chat", json={"message": f"My email is {me['email']}, thanks"}, headers=headers)
    simulator.hang_up(call.connection_id)
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 30)
    assert done["output"]["status"] == "ended" and done["output"]["conversation_id"]
    with host.client("master") as http:
        assert http.get("/api/admin/dashboard").json()["conversations"] == before + 1
        stored = http.get(f"/api/admin/customers/{me['id']}").json()
    assert stored["id"] == me["id"]
    phases = [p["phase"] for p in done["output"]["timeline"]]
    assert phases == ["ringing", "answered", "connected", "post-call"]
    # the caller hung up: the product does not hang up a second time
    assert not [r for r in simulator.requests if r.path.endswith(":terminate")
                and call.connection_id in r.path]


def test_a_call_that_never_connects_is_hung_up(phone) -> None:
    host, simulator = phone
    simulator.connects = False
    try:
        call = Call(host, simulator, customer_phone(host, 0)["phone"])
    finally:
        simulator.connects = True
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 20)
    assert done["output"]["status"] == "not connected"
    assert [r for r in simulator.requests if r.path.endswith(f"{call.connection_id}:terminate") and r.signed]


def test_a_call_that_cannot_be_answered_ends_as_not_answered_without_a_session(phone) -> None:
    host, simulator = phone
    event = simulator.incoming_call(customer_phone(host, 0)["phone"])
    correlation_id = event[0]["data"]["correlationId"]
    simulator.answers = False
    try:
        assert simulator.ring("", event).status_code in (200, 202)
        assert wait_for(lambda: answers_for(simulator, correlation_id))
    finally:
        simulator.answers = True
    call_id = "call-" + hashlib.sha256(correlation_id.encode()).hexdigest()[:24]
    done = wait_for(lambda: (s := orchestration(host, call_id)).get("runtimeStatus") == "Completed" and s, 20)
    assert done["output"]["status"] == "not answered"
    assert "session_id" not in done["output"] or not done["output"]["session_id"]
    assert [p["phase"] for p in done["output"]["timeline"]] == ["ringing", "ended"]


def test_a_failed_transfer_leaves_the_caller_with_the_agent(phone) -> None:
    host, simulator = phone
    simulator.transfers = False
    call = Call(host, simulator, customer_phone(host, 1)["phone"])
    call.phase("connected")
    headers = call.session()
    try:
        with host.client("service") as http:
            asked = http.post("/api/tools/transfer_to_human", json={"reason": "the caller asked"}, headers=headers)
            assert asked.json()["ok"]
        failed = wait_for(lambda: (s := call.status())["customStatus"].get("transfer") == "failed" and s)
    finally:
        simulator.transfers = True
    assert failed["runtimeStatus"] == "Running" and failed["customStatus"]["phase"] == "in conversation"
    with host.client("service") as http:  # the caller goes on with the agent
        assert http.post("/api/tools/list_products", json={}, headers=headers).json()["ok"]


@pytest.mark.parametrize("media_path_ends_it", [True, False], ids=["after the goodbye", "when the time is up"])
def test_an_agent_that_ends_the_call_hangs_up_after_the_goodbye(phone, media_path_ends_it: bool) -> None:
    host, simulator = phone
    call = Call(host, simulator, customer_phone(host, 3)["phone"])
    call.phase("connected")
    headers = call.session()

    def hung_up() -> bool:
        return any(r.path.endswith(f"{call.connection_id}:terminate") for r in simulator.requests)

    with host.client("service") as http:
        assert http.post("/api/tools/end_call", json={"reason": "the caller is done"}, headers=headers).json()["ok"]
        call.phase("saying goodbye")
        # The goodbye is still playing: the line is up, the transcript and turns are taken, no tool acts.
        refused = http.post("/api/tools/list_products", json={}, headers=headers)
        assert refused.status_code == 200 and refused.json()["refused"], refused.text
        assert "ending" in refused.json()["error"]
        assert http.post("/api/sessions/turn", headers=headers).status_code == 200
        assert not hung_up() and call.status()["runtimeStatus"] == "Running"
        if media_path_ends_it:  # the goodbye has played
            assert http.post("/api/sessions/end", headers=headers).status_code == 202
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, FAREWELL_SECONDS + 20)
    assert done["output"]["status"] == "ended" and hung_up()
    timeline = {p["phase"]: datetime.fromisoformat(p["at"]) for p in done["output"]["timeline"]}
    assert list(timeline)[-2:] == ["saying goodbye", "post-call"]
    waited = (timeline["post-call"] - timeline["saying goodbye"]).total_seconds()
    assert (waited < FAREWELL_SECONDS) if media_path_ends_it else (waited >= FAREWELL_SECONDS), waited


def test_the_public_sdk_sample_is_answered_for_an_unknown_caller(phone) -> None:
    host, simulator = phone
    sample = copy.deepcopy(SDK_SAMPLE)
    sample["data"]["correlationId"] = "sdk-sample-correlation"
    assert simulator.ring("", [sample]).status_code in (200, 202)
    answer = wait_for(lambda: [r for r in simulator.requests if r.path.endswith(":answer")
                               and r.body["incomingCallContext"] == "{incoming-call-contextValue}"])[0]
    call_id = urlparse(answer.body["callbackUri"]).path.split("/")[3]
    status = wait_for(lambda: "known_caller" in ((s := orchestration(host, call_id)).get("customStatus") or {}).get(
        "call", {}) and s)  # once answered, its session is open
    assert status["customStatus"]["call"]["known_caller"] is False


def test_a_host_restarted_mid_call_still_completes_the_post_call_record(phone) -> None:
    host, simulator = phone
    call = Call(host, simulator, customer_phone(host, 2)["phone"])
    call.phase("connected")
    headers = call.session()
    with host.client("service") as http:
        assert http.post("/api/chat", json={"message": "What do you sell?"}, headers=headers).status_code == 200
    host.kill()
    host.port = int(host.base_url.rsplit(":", 1)[1])  # the callback URL ACS holds stays valid
    try:
        host.start()
    finally:
        host.port = 0
    simulator.hang_up(call.connection_id)
    done = wait_for(lambda: (s := call.status())["runtimeStatus"] == "Completed" and s, 30)
    assert done["output"]["conversation_id"]
