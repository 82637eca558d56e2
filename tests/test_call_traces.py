"""One OpenTelemetry trace per call, exported over OTLP while the call runs through the real host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local.acs.simulator import AcsSimulator
from local.stack import Endpoints
from shared.telemetry import trace_id_of
from tests.hosting import HostProcess, generate_company, product_host, wait_for
from tests.otlp_receiver import OtlpReceiver
from tests.test_calls import COMPANY, Call, customer_phone


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints
           ) -> Iterator[tuple[HostProcess, AcsSimulator, OtlpReceiver]]:
    workdir: Path = tmp_path_factory.mktemp("traces")
    simulator = AcsSimulator(workdir / "acs", host_url="", system_key="")
    with simulator.serving(), OtlpReceiver().serving() as receiver:
        host = product_host(workdir, stack.as_settings(), ACS_CONNECTION_STRING=simulator.connection_string,
                            ACS_VERIFY_TLS=str(simulator.certificate), CALL_CONNECT_SECONDS="5",
                            TELEMETRY_EXPORTER="otlp", OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
                            OTEL_BSP_SCHEDULE_DELAY="100")
        host.start()
        simulator.host_url, simulator.system_key = host.base_url, host.keys.system_key
        assert generate_company(host, COMPANY)["result"]["status"] == "complete"
        yield host, simulator, receiver
        host.stop()


def test_a_call_from_ring_to_post_call_record_is_one_trace(traced) -> None:
    host, simulator, receiver = traced
    call = Call(host, simulator, customer_phone(host, 1)["phone"])
    call.phase("connected")
    with host.client("service") as http:
        assert http.post("/api/sessions/turn", headers=call.session()).status_code == 200
        looked_up = http.post("/api/tools/search_knowledge_base", headers=call.session(),
                              json={"query": "how long is the warranty"})
        assert looked_up.status_code == 200, looked_up.text
    simulator.hang_up(call.connection_id)
    wait_for(lambda: call.status().get("runtimeStatus") == "Completed", 60)

    expected = {"call.answer", "call.callback", "call.open_session", "conversation.caller_turn",
                "tool search_knowledge_base", "conversation.record"}
    trace_id = f"{trace_id_of(call.call_id):032x}"

    def of_the_call() -> list:
        found = [s for s in receiver.spans if s.trace_id == trace_id]
        return found if expected <= {s.name for s in found} else []

    mine = wait_for(of_the_call, 30)
    assert {s.service for s in mine} == {"callcenter-functions"}
    assert all(s.attributes["conversation.id"] == call.call_id for s in mine)
    called_back = {kind for s in mine if s.name == "call.callback" for kind in s.attributes["call.events"]}
    assert {"CallConnected", "CallDisconnected"} <= called_back
    # Nothing of another call, and no caller's number in any attribute.
    caller = customer_phone(host, 1)["phone"]
    assert not any(caller in str(s.attributes) for s in receiver.spans)


def test_two_calls_are_two_traces(traced) -> None:
    host, simulator, receiver = traced
    calls = [Call(host, simulator, customer_phone(host, i)["phone"]) for i in (2, 3)]
    ids = {f"{trace_id_of(c.call_id):032x}" for c in calls}
    wait_for(lambda: ids <= {s.trace_id for s in receiver.spans if s.name == "call.answer"}, 30)
    for call in calls:
        simulator.hang_up(call.connection_id)
    assert len(ids) == 2
