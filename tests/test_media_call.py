"""A phone call end to end, with audio: IncomingCall through the simulator, the function app answers with media
streaming, the simulator opens the media WebSocket, the media app bridges it to a (scripted) Realtime model,
whose tool calls run in the function app; the agent's audio comes back to the caller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local.acs.media import speech
from local.acs.simulator import AcsSimulator
from local.realtime.server import Call, Context, Say, ScriptedRealtime
from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host, wait_for
from tests.media_harness import free_port, media_app, media_settings
from tests.test_calls import Call as PhoneCall
from tests.test_calls import customer_phone

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 4, "products": 5, "purchases": 6,
           "conversations": 2, "seed": 7}


def catalog_script(context: Context) -> list:
    """The caller asks about products: the router hands over, the specialist lists them and answers."""
    last = context.outputs[-1] if context.outputs else None
    if last is None:
        return [Say("Let me get our product specialist."), Call("handoff", {"agent": "customer_data",
                                                                          "reason": "a product question"})]
    if '"handoff"' in last["output"]:
        return [Call("list_products", {})]
    return [Say("We have five products in the catalog.")]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints
          ) -> Iterator[tuple[HostProcess, AcsSimulator, ScriptedRealtime]]:
    workdir: Path = tmp_path_factory.mktemp("media-call")
    model = ScriptedRealtime(catalog_script, hears=lambda turn: "what products do you have")
    media_port = free_port()
    simulator = AcsSimulator(workdir / "acs", host_url="", system_key="")
    with simulator.serving(), model.serving() as realtime_url:
        host = product_host(workdir, stack.as_settings(), ACS_CONNECTION_STRING=simulator.connection_string,
                            ACS_VERIFY_TLS=str(simulator.certificate), CALL_CONNECT_SECONDS="10",
                            MEDIA_BASE_URL=f"ws://127.0.0.1:{media_port}")
        host.port = free_port()
        settings = media_settings(f"http://127.0.0.1:{host.port}", host.service_key, realtime_url)
        with media_app(settings, port=media_port):
            host.start()
            simulator.host_url, simulator.system_key = host.base_url, host.keys.system_key
            assert generate_company(host, COMPANY)["result"]["status"] == "complete"
            yield host, simulator, model
            host.stop()


def test_a_call_is_answered_by_the_realtime_agent_whose_tools_run_in_the_function_app(world) -> None:
    host, simulator, model = world
    call = PhoneCall(host, simulator, customer_phone(host, 0)["phone"])
    stream = simulator.media_for(call.connection_id)
    greeting = stream.wait_for(lambda: stream.agent_frames)  # the agent greets first
    assert greeting and model.connections[-1].sessions[0]["instructions"].startswith("You are the front desk")
    stream.wait_for(lambda: stream.agent_audio_ms() > 500)
    heard_before = len(stream.agent_frames)
    stream.say(speech(600))
    connection = model.connections[-1]
    outputs = model.wait_for(lambda: [i["output"] for i in connection.items if i["type"] == "function_call_output"
                                      and "price" in i["output"]], 20)
    assert '"ok":true' in outputs[0]  # the catalog, from the function app's own data
    stream.wait_for(lambda: len(stream.agent_frames) > heard_before + 50, 20)
    assert len(connection.sessions) == 2  # the handoff: the specialist's instructions, on the same connection
    assert "list_products" in [t["name"] for t in connection.sessions[1]["tools"]]
    status = wait_for(lambda: ((s := call.status()).get("customStatus") or {}).get("tool_counts", {}).get(
        "list_products") and s, 20)["customStatus"]
    assert status["tool_counts"]["handoff"] == 1
    stream.hang_up()
