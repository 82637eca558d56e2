"""What a month of calls costs in Azure, per call minute, with the realtime engine and with the cascade on
Azure Speech, from the SKUs in infra/ and published unit prices (pay-as-you-go, USD, US regions).

Prices were read from the sources named beside each one, on the date given; this file was written on
2026-12-01 on a machine without network access, so none was re-read that day: check the pages before
relying on a figure. The traffic model (who talks how long, turns per minute, prompt sizes, cache hits)
is stated in `Traffic`; change it with the flags.

Run: .venv/bin/python bench/cost.py [--calls-per-day 1000] [--minutes 10] [--zero-trust]
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS_PER_MONTH = 30 * 24 * 3600
# call-center-ai's published estimate: 1,000 calls of 10 minutes a month for $720.07, on 2024-12-10.
PEER = ("call-center-ai (README 'What will this cost?', 2024-12-10)", 720.07 / 10_000)


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    source: str
    as_of: str


AZURE = "https://azure.microsoft.com/en-us/pricing/details/"
PEER_README = "github.com/microsoft/call-center-ai README"
PRICES = {
    # gpt-realtime (GA 2025-08-28), Global deployment; Azure lists the same per-token prices as OpenAI.
    "realtime_audio_in": Price(32.0, "1M audio tokens", "developers.openai.com/api/docs/models/gpt-realtime", "2026"),
    "realtime_audio_cached": Price(0.40, "1M cached audio tokens", "same page", "2026"),
    "realtime_audio_out": Price(64.0, "1M audio tokens", "same page", "2026"),
    "realtime_text_in": Price(4.0, "1M text tokens", "same page", "2026"),
    "realtime_text_cached": Price(0.40, "1M cached text tokens", "same page", "2026"),
    "realtime_text_out": Price(16.0, "1M text tokens", "same page", "2026"),
    # Caller transcript for the stored conversation (input_audio_transcription).
    "transcribe": Price(0.003, "audio minute", "developers.openai.com/api/docs/pricing (gpt-4o-mini-transcribe)",
                        "2025"),
    # gpt-4.1-mini, Global deployment: the chat model of the cascade.
    "chat_in": Price(0.40, "1M tokens", f"{AZURE}cognitive-services/openai-service/", "2025"),
    "chat_cached": Price(0.10, "1M cached tokens", "same page", "2025"),
    "chat_out": Price(1.60, "1M tokens", "same page", "2025"),
    "embedding": Price(0.13, "1M tokens", f"{PEER_README} (text-embedding-3-large)", "2024-12-10"),
    "stt": Price(1.0, "audio hour", f"{PEER_README} (Speech to text, real-time)", "2024-12-10"),
    "tts": Price(15.0, "1M characters", f"{PEER_README} (Text to speech, neural)", "2024-12-10"),
    "acs_streaming": Price(0.004, "minute", f"{PEER_README} (ACS audio streaming)", "2024-12-10"),
    "acs_inbound": Price(0.022, "minute", f"{AZURE}communication-services/ (PSTN inbound, US toll-free)", "2025"),
    "acs_number": Price(2.0, "number-month", f"{AZURE}communication-services/ (US toll-free number)", "2025"),
    "aca_vcpu": Price(0.000024, "vCPU-second", f"{PEER_README} (Container Apps, active)", "2024-12-10"),
    "aca_memory": Price(0.000003, "GiB-second", f"{PEER_README} (Container Apps, active)", "2024-12-10"),
    "flex_baseline": Price(0.000004, "GB-second", f"{AZURE}functions/ (Flex Consumption always ready, baseline)",
                           "2025"),
    "flex_execution": Price(0.000016, "GB-second", f"{AZURE}functions/ (Flex always ready, execution)", "2025"),
    "flex_executions": Price(0.40, "1M executions", f"{AZURE}functions/ (Flex Consumption)", "2025"),
    "search_basic": Price(73.73, "month", f"{PEER_README} (AI Search Basic)", "2024-12-10"),
    "cosmos_ru": Price(0.25, "1M RUs", f"{AZURE}cosmos-db/serverless/", "2025"),
    "storage_ops": Price(0.004, "10k queue/table operations", f"{AZURE}storage/queues/ (LRS)", "2025"),
    "logs": Price(2.30, "GB ingested", f"{AZURE}monitor/ (Analytics logs, after 5 GB free)", "2025"),
    "acr_basic": Price(0.167, "day", f"{AZURE}container-registry/", "2025"),
    "private_endpoint": Price(0.01, "endpoint-hour", f"{AZURE}private-link/", "2025"),
    "dns_zone": Price(0.50, "zone-month", f"{AZURE}dns/", "2025"),
}


@dataclass(frozen=True)
class Traffic:
    calls_per_day: int = 1000
    minutes_per_call: float = 10
    days: int = 30
    # Share of the call each side speaks (the rest is silence, which server VAD does not bill).
    caller_talk: float = 0.4
    agent_talk: float = 0.4
    # One caller turn and one agent answer every 15 s, as call-center-ai assumes.
    turns_per_minute: float = 4
    instructions_tokens: int = 2500  # agent instructions, caller profile and tool schemas
    tool_tokens_per_turn: int = 150  # tool calls and results, averaged over turns
    # How often the prompt cache still holds the previous response's prompt (realtime and chat alike).
    cache_hit: float = 0.9
    words_per_minute: float = 150
    # Realtime audio tokens per second of speech: caller (input) and agent (output).
    audio_in_per_second: int = 10
    audio_out_per_second: int = 20
    # Per call minute on the platform: function executions, Cosmos RUs, storage operations, telemetry.
    executions_per_minute: float = 12
    gb_seconds_per_execution: float = 0.1
    cosmos_ru_per_minute: float = 80
    storage_ops_per_minute: float = 150
    telemetry_mb_per_call: float = 0.5

    @property
    def call_minutes(self) -> float:
        return self.calls_per_day * self.minutes_per_call * self.days

    @property
    def calls(self) -> float:
        return self.calls_per_day * self.days

    @property
    def turns_per_call(self) -> int:
        return round(self.turns_per_minute * self.minutes_per_call)


@dataclass(frozen=True)
class Sku:
    """What infra/ deploys, read from its files so that the cost follows the template."""

    function_memory_gb: float
    always_ready: int
    media_vcpu: float
    media_memory_gib: float
    media_min_replicas: int
    search: str
    private_endpoints: int
    dns_zones: int


def read_skus() -> Sku:
    main = (ROOT / "infra" / "main.bicep").read_text()
    media = (ROOT / "infra" / "modules" / "media.bicep").read_text()
    network = (ROOT / "infra" / "modules" / "network.bicep").read_text()

    def find(pattern: str, text: str) -> str:
        match = re.search(pattern, text)
        assert match, f"infra/ no longer says {pattern!r}: update bench/cost.py"
        return match.group(1)

    return Sku(
        function_memory_gb=int(find(r"instanceMemoryMB: (\d+)", main)) / 1024,
        always_ready=int(find(r"param functionAlwaysReady int = (\d+)", main)),
        media_vcpu=float(find(r"cpu: json\('([\d.]+)'\)", media)),
        media_memory_gib=float(find(r"memory: '([\d.]+)Gi'", media)),
        media_min_replicas=int(find(r"minReplicas: (\d+)", main)),
        search=find(r"param searchSku string = '(\w+)'", main),
        # blob, queue, table, Cosmos DB, Search, Key Vault: one endpoint and one zone each.
        private_endpoints=6,
        dns_zones=len(re.findall(r"zone: 'privatelink\.", network)),
    )


Line = tuple[str, str, float]  # service, what, USD a month


def cost(key: str, quantity: float) -> float:
    price = PRICES[key]
    per = 1_000_000 if price.unit.startswith("1M") else 10_000 if price.unit.startswith("10k") else 1
    return price.usd * quantity / per


def billed(prompts: list[float], cache_hit: float) -> tuple[float, float]:
    """Uncached and cached input tokens over a call's responses: each prompt extends the one before, and
    the cache holds that previous prompt (with probability cache_hit); what came since is new."""
    cached = sum(cache_hit * before for before in [0.0, *prompts[:-1]])
    return sum(prompts) - cached, cached


def realtime(t: Traffic) -> list[Line]:
    """Each response bills the whole conversation so far as input, its audio included."""
    turn_seconds = 60 / t.turns_per_minute
    caller_audio = t.caller_talk * turn_seconds * t.audio_in_per_second
    agent_audio = t.agent_talk * turn_seconds * t.audio_out_per_second
    agent_text = t.agent_talk * turn_seconds * t.words_per_minute / 60 * 1.3  # the transcript beside the audio
    turns = range(t.turns_per_call)
    audio_in, audio_cached = billed([turn * (caller_audio + agent_audio) + caller_audio for turn in turns],
                                    t.cache_hit)
    # The agent's answers stay in the conversation as audio; text is the instructions and the tool traffic.
    text_in, text_cached = billed([t.instructions_tokens + (turn + 1) * t.tool_tokens_per_turn for turn in turns],
                                  t.cache_hit)
    calls = t.calls
    return [
        ("Azure OpenAI gpt-realtime", "audio in, new", cost("realtime_audio_in", audio_in * calls)),
        ("Azure OpenAI gpt-realtime", "audio in, cached", cost("realtime_audio_cached", audio_cached * calls)),
        ("Azure OpenAI gpt-realtime", "audio out", cost("realtime_audio_out", agent_audio * t.turns_per_call * calls)),
        ("Azure OpenAI gpt-realtime", "text in (instructions, tools)",
         cost("realtime_text_in", text_in * calls) + cost("realtime_text_cached", text_cached * calls)),
        ("Azure OpenAI gpt-realtime", "text out (transcript, tool calls)",
         cost("realtime_text_out", (agent_text + t.tool_tokens_per_turn / 2) * t.turns_per_call * calls)),
        ("Azure OpenAI transcribe", "caller transcript", cost("transcribe", t.call_minutes * t.caller_talk)),
    ]


def cascade(t: Traffic) -> list[Line]:
    """Azure Speech both ways around gpt-4.1-mini; the chat history is text, so context is cheap."""
    turn_seconds = 60 / t.turns_per_minute
    words = (t.caller_talk + t.agent_talk) * turn_seconds * t.words_per_minute / 60
    agent_words = t.agent_talk * turn_seconds * t.words_per_minute / 60
    turn_tokens = words * 1.3 + t.tool_tokens_per_turn
    chat_in, chat_cached = billed([t.instructions_tokens + (turn + 1) * turn_tokens
                                   for turn in range(t.turns_per_call)], t.cache_hit)
    calls = t.calls
    return [
        ("Azure Speech", "speech to text, the caller's whole stream", cost("stt", t.call_minutes / 60)),
        ("Azure Speech", "neural text to speech", cost("tts", agent_words * 6 * t.turns_per_call * calls)),
        ("Azure OpenAI gpt-4.1-mini", "chat in",
         cost("chat_in", chat_in * calls) + cost("chat_cached", chat_cached * calls)),
        ("Azure OpenAI gpt-4.1-mini", "chat out", cost("chat_out", agent_words * 1.3 * t.turns_per_call * calls)),
    ]


def platform(t: Traffic, sku: Sku, zero_trust: bool) -> list[Line]:
    """What both engines share: the phone line, the function app, the media container and the stores."""
    minutes = t.call_minutes
    executions = minutes * t.executions_per_minute
    free_vcpu_seconds, free_gib_seconds = 180_000, 360_000  # Container Apps' monthly free grant
    replica_seconds = sku.media_min_replicas * SECONDS_PER_MONTH
    lines = [
        ("Communication Services", "PSTN inbound minutes", cost("acs_inbound", minutes)),
        ("Communication Services", "media streaming minutes", cost("acs_streaming", minutes)),
        ("Communication Services", "one toll-free number", cost("acs_number", 1)),
        ("Functions Flex Consumption", f"{sku.always_ready} always-ready instance of "
         f"{sku.function_memory_gb:g} GB, baseline",
         cost("flex_baseline", sku.always_ready * sku.function_memory_gb * SECONDS_PER_MONTH)),
        ("Functions Flex Consumption", "execution time and executions",
         cost("flex_execution", executions * t.gb_seconds_per_execution * sku.function_memory_gb)
         + cost("flex_executions", executions)),
        ("Container Apps (media)", f"{sku.media_min_replicas} replica of {sku.media_vcpu:g} vCPU, "
         f"{sku.media_memory_gib:g} GiB, always on",
         cost("aca_vcpu", max(0, sku.media_vcpu * replica_seconds - free_vcpu_seconds))
         + cost("aca_memory", max(0, sku.media_memory_gib * replica_seconds - free_gib_seconds))),
        ("Container Registry", "Basic", cost("acr_basic", 30)),
        ("AI Search", sku.search.capitalize(), PRICES["search_basic"].usd if sku.search == "basic" else float("nan")),
        ("Cosmos DB serverless", "request units", cost("cosmos_ru", minutes * t.cosmos_ru_per_minute)),
        ("Storage", "Durable Functions queue and table operations",
         cost("storage_ops", minutes * t.storage_ops_per_minute)),
        ("Azure Monitor", "telemetry ingestion", cost("logs", max(0, t.calls * t.telemetry_mb_per_call / 1024 - 5))),
        ("Azure OpenAI embeddings", "knowledge queries", cost("embedding", minutes * 30)),
    ]
    if zero_trust:
        lines += [
            ("Private Link", f"{sku.private_endpoints} private endpoints",
             cost("private_endpoint", sku.private_endpoints * 24 * 30)),
            ("Private DNS", f"{sku.dns_zones} zones", cost("dns_zone", sku.dns_zones)),
        ]
    return lines


def report(t: Traffic, zero_trust: bool) -> str:
    sku = read_skus()
    shared = platform(t, sku, zero_trust)
    out = [f"{t.calls_per_day:,} calls a day of {t.minutes_per_call:g} minutes, {t.days} days: "
           f"{t.call_minutes:,.0f} call minutes a month (zero trust: {'on' if zero_trust else 'off'})", ""]
    totals = {}
    for engine, lines in (("realtime", realtime(t)), ("cascade", cascade(t))):
        out.append(f"{engine} engine")
        out.append(f"  {'service':28} {'what':52} {'USD/month':>10}")
        for service, what, usd in [*lines, *shared]:
            out.append(f"  {service:28} {what:52} {usd:10,.2f}")
        total = sum(usd for _, _, usd in [*lines, *shared])
        totals[engine] = total
        out.append(f"  {'total':81} {total:10,.2f}   {total / t.call_minutes:.4f} USD per call minute")
        out.append("")
    name, peer = PEER
    for engine, total in totals.items():
        per_minute = total / t.call_minutes
        out.append(f"{engine}: {per_minute:.4f} USD per call minute, {per_minute / peer:.2f}x the {peer:.3f} of {name}")
    telephony = cost("acs_inbound", t.call_minutes) / t.call_minutes
    out.append("(call-center-ai counts no PSTN minutes; without them: "
               + ", ".join(f"{engine} {total / t.call_minutes - telephony:.4f}" for engine, total in totals.items())
               + ")")
    out += ["", "Unit prices (USD):"]
    out += [f"  {key:22} {price.usd:>10g} per {price.unit:28} {price.source} ({price.as_of})"
            for key, price in PRICES.items()]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls-per-day", type=int, default=Traffic.calls_per_day)
    parser.add_argument("--minutes", type=float, default=Traffic.minutes_per_call, help="minutes per call")
    parser.add_argument("--cache-hit", type=float, default=Traffic.cache_hit)
    parser.add_argument("--zero-trust", action="store_true", help="add private endpoints and DNS zones")
    args = parser.parse_args(argv)
    traffic = replace(Traffic(), calls_per_day=args.calls_per_day, minutes_per_call=args.minutes,
                      cache_hit=args.cache_hit)
    return report(traffic, args.zero_trust)


if __name__ == "__main__":
    print(main())
