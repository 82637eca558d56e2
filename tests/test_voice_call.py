"""A spoken call on the cascade engine: the caller's voice (espeak-ng) through VAD, whisper, the offline brain
with the real tools on the local host, piper's voice back on a line paced like the transport's.

Checks what the call changed in Cosmos DB, a barge-in (the agent stops, the interrupted read-back cannot be
confirmed) and a caller who pauses mid-sentence (not cut off).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from local.caller_voice import silence, speak
from local.paced_line import Caller, PacedLine
from local.stack import Endpoints
from media.engine import AudioFormat, CallContext
from media.engines.cascade import CascadeEngine
from shared.conversation.events import TurnEnded
from shared.sessions.store import sessions
from shared.settings import Settings
from shared.tools.registry import ToolResult
from shared.voice.settings import VoiceSettings
from tests.hosting import HostProcess, generate_company, product_host

pytestmark = pytest.mark.timeout(240)
COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 6, "products": 5, "purchases": 6,
           "conversations": 1, "seed": 3}
AUDIO = AudioFormat(sample_rate=24000, frame_bytes=960)
TURN_SECONDS = 40.0


@pytest.fixture(scope="module")
def voice_host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    host = product_host(tmp_path_factory.mktemp("voice"), stack.as_settings())
    host.start()
    assert generate_company(host, COMPANY)["result"]["status"] == "complete"
    yield host
    host.stop()


class HostTools:
    """The tool port of the media path: tools and caller turns over the host's HTTP API with the session's
    headers; a cancelled turn's read-backs are dropped from the session in Cosmos DB."""

    def __init__(self, http: httpx.AsyncClient, session: dict[str, Any], settings: Settings) -> None:
        self._http, self._settings, self._session_id = http, settings, session["session_id"]
        self._headers = {"x-session-id": session["session_id"], "x-session-token": session["token"]}

    async def run(self, name: str, arguments: dict[str, Any], call_id: str) -> ToolResult:
        answer = await self._http.post(f"/api/tools/{name}", json=arguments,
                                       headers={**self._headers, "x-tool-call-id": call_id})
        return ToolResult.model_validate(answer.json())

    async def caller_turn(self) -> None:
        (await self._http.post("/api/sessions/turn", headers=self._headers)).raise_for_status()

    async def drop_proposals(self, proposal_ids: list[str]) -> None:
        dropped = set(proposal_ids)
        await (await sessions(self._settings)).change(self._session_id, lambda s: s.model_copy(
            update={"proposals": [p for p in s.proposals if p.id not in dropped]}))


def voice(*parts: str | int) -> bytes:
    """The caller's audio: text spoken, an int a pause of that many milliseconds."""
    return b"".join(silence(p, AUDIO.sample_rate) if isinstance(p, int) else speak(p, AUDIO.sample_rate)
                    for p in parts)


class SpokenCall:
    def __init__(self, engine: CascadeEngine, line: PacedLine, caller: Caller) -> None:
        self.engine, self.line, self.caller = engine, line, caller

    def transcript(self) -> str:
        return "\n".join(f"{m.role}: {m.text}" for m in self.engine.conversation.state.history)

    def ended(self) -> list[TurnEnded]:
        return [e for e in self.line.events if isinstance(e, TurnEnded)]

    async def say(self, *parts: str | int) -> TurnEnded:
        """Speaks the parts (an int is a pause of that many ms) and waits for the agent's whole answer."""
        before = len(self.ended())
        await self.caller.say(await asyncio.to_thread(voice, *parts))
        return await self.answered(before)

    async def answered(self, before: int) -> TurnEnded:
        """The first whole answer after the `before`th turn."""
        deadline = time.monotonic() + TURN_SECONDS
        while not (whole := [e for e in self.ended()[before:] if not e.interrupted]):
            assert time.monotonic() < deadline, f"no answer:\n{self.transcript()}"
            await asyncio.sleep(0.05)
        return whole[0]

    async def quiet(self) -> None:
        """Waits until the agent has stopped talking."""
        deadline = time.monotonic() + TURN_SECONDS
        while self.line.playing or self.engine.conversation.answering:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)


@pytest.fixture
async def spoken(voice_host: HostProcess) -> AsyncIterator[tuple[SpokenCall, dict[str, Any]]]:
    settings = Settings(**voice_host.env)
    async with httpx.AsyncClient(base_url=voice_host.base_url, timeout=30,
                                 headers={"x-service-key": voice_host.service_key}) as http:
        me = (await http.get("/api/admin/customers/cust-00002",
                             headers={"x-functions-key": voice_host.keys.master_key})).json()
        session = (await http.post("/api/sessions", json={"channel": "phone", "customer_id": me["id"]})).json()
        engine = CascadeEngine(VoiceSettings(), settings)
        call = CallContext("call-1", session["session_id"], me["id"], me["first_name"], "router", AUDIO)
        async with PacedLine(AUDIO) as line:
            await engine.start(call, line, HostTools(http, session, settings))
            async with Caller(engine, AUDIO) as caller:
                talk = SpokenCall(engine, line, caller)
                await talk.quiet()  # the greeting
                yield talk, me
            await engine.close()


def spoken_date(iso: str) -> str:
    return datetime.strptime(iso, "%Y-%m-%d").strftime("%B %-d, %Y")


def tools_of(turn: TurnEnded) -> list[str]:
    return [c.name for c in turn.tool_calls]


async def test_a_caller_who_pauses_mid_sentence_is_verified_in_one_turn(spoken: tuple[SpokenCall, dict]) -> None:
    talk, me = spoken
    await talk.say("I would like to check my details.")
    verified = await talk.say(f"My postal code is {me['address']['postal_code']}.", 500,
                              f"And I was born on {spoken_date(me['date_of_birth'])}.")
    assert "verify_caller" in tools_of(verified), verified
    assert next(c for c in verified.tool_calls if c.name == "verify_caller").ok, verified
    heard = [m.text for m in talk.engine.conversation.state.history if m.role == "user"][-1]
    assert "postal code" in heard.lower() and "born" in heard.lower(), heard
    # The turn ended at the pause was taken back before the caller heard anything of its answer.
    taken_back = [e for e in talk.ended() if e.interrupted]
    assert taken_back and all(not e.said for e in taken_back), [(e.said[:40], e.interrupted) for e in talk.ended()]


async def until(check: Callable[[], object], seconds: float = TURN_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        await asyncio.sleep(0.005)


async def test_a_spoken_address_change_with_a_barge_in(spoken: tuple[SpokenCall, dict],
                                                         voice_host: HostProcess) -> None:
    talk, me = spoken
    new_address = "Please change my address to 12 Harbour Street, 8001 Zurich, Switzerland."
    await talk.say("I want to check the information you have about me.")
    await talk.say(f"My postal code is {me['address']['postal_code']} and I was born on "
                   f"{spoken_date(me['date_of_birth'])}.")
    change, cut_in = voice(new_address), voice("Yes, that is right.")
    answers, line = len(talk.line.answers), talk.line
    await talk.caller.say(change)
    # The read-back has played for a second, and the caller cuts in.
    await until(lambda: len(line.answers) > answers and len(line.answers[-1].pcm) > AUDIO.sample_rate * 2)
    stops, before = len(line.stops), len(talk.ended())
    yes = asyncio.create_task(talk.caller.say(cut_in))
    await until(lambda: len(line.stops) > stops)
    assert talk.caller.began_at is not None
    stopped_after = line.stops[-1] - talk.caller.began_at
    await yes
    await talk.answered(before)
    cut = [e for e in talk.ended() if e.interrupted and e.said]  # the read-back, as far as the caller heard it
    assert cut and "Switzerland" not in cut[-1].said, talk.transcript()
    async with httpx.AsyncClient(base_url=voice_host.base_url,
                                 headers={"x-functions-key": voice_host.keys.master_key}) as http:
        unchanged = (await http.get(f"/api/admin/customers/{me['id']}")).json()["address"]
        assert unchanged == me["address"], "a yes to a read-back the caller cut off changed the address"
        await talk.say(new_address)
        await talk.say("Yes, please.")
        address = (await http.get(f"/api/admin/customers/{me['id']}")).json()["address"]
    assert address["postal_code"] == "8001" and address["city"] == "Zurich", talk.transcript()
    print(f"barge-in: the agent stopped {stopped_after * 1000:.0f} ms after the caller began")
    assert stopped_after < 0.3
