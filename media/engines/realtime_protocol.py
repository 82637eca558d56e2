"""The Realtime event protocol (OpenAI, Azure OpenAI, Azure AI Voice Live) as this engine writes it.

GA shapes for OpenAI and Azure OpenAI; Voice Live documents the beta session shape (flat audio formats,
`modalities`) plus its own noise suppression, echo cancellation and semantic VAD. Audio is appended
as a string built by concatenation and sent raw: the SDK's typed send costs ten times as much per frame.
"""

from __future__ import annotations

from typing import Any

import orjson

# Server events whose names differ between the GA protocol and the beta one Voice Live speaks.
AUDIO_DELTA = frozenset({"response.output_audio.delta", "response.audio.delta"})
TRANSCRIPT_DELTA = frozenset({"response.output_audio_transcript.delta", "response.audio_transcript.delta",
                              "response.output_text.delta", "response.text.delta"})
FILLER = "filler"  # the metadata purpose of a response that only bridges a wait
FILLER_INSTRUCTIONS = ("Say only a few words to let the caller know you are still working on it, such as "
                       "'one moment please'. Do not answer anything yet.")


def append_audio(audio_b64: str) -> str:
    return '{"type":"input_audio_buffer.append","audio":"' + audio_b64 + '"}'


def dumps(event: dict[str, Any]) -> str:
    return orjson.dumps(event).decode()


def tool_definitions(schemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat-completions function schemas as Realtime tools (flat: type, name, description, parameters)."""
    return [{"type": "function", **s["function"]} for s in schemas]


def session_update(provider: str, instructions: str, *, tools: list[dict[str, Any]], voice: str,
                   turn_detection: str, rate: int, with_voice: bool = True) -> dict[str, Any]:
    """The agent's session: instructions, tools, voice (only before the first audio: a handoff keeps it),
    turn detection that lets the caller interrupt."""
    detection: dict[str, Any] = {"type": turn_detection, "create_response": True, "interrupt_response": True}
    if provider == "voice_live":
        session: dict[str, Any] = {
            "modalities": ["text", "audio"], "instructions": instructions, "tools": tools, "tool_choice": "auto",
            "input_audio_format": "pcm16", "output_audio_format": "pcm16", "turn_detection": detection,
            "input_audio_transcription": {"model": "azure-speech"},
            "input_audio_noise_reduction": {"type": "azure_deep_noise_suppression"},
            "input_audio_echo_cancellation": {"type": "server_echo_cancellation"}}
        if with_voice:
            session["voice"] = ({"name": voice, "type": "azure-standard"} if ":" in voice or "Neural" in voice
                                else voice)
        return {"type": "session.update", "session": session}
    audio_format = {"type": "audio/pcm", "rate": rate}
    output: dict[str, Any] = {"format": audio_format}
    if with_voice:
        output["voice"] = voice
    return {"type": "session.update", "session": {
        "type": "realtime", "instructions": instructions, "tools": tools, "tool_choice": "auto",
        "audio": {"input": {"format": audio_format, "turn_detection": detection,
                            "transcription": {"model": "gpt-4o-mini-transcribe"}},
                  "output": output}}}


def say_exactly(text: str) -> dict[str, Any]:
    return {"type": "response.create", "response": {"instructions": f"Say exactly this, nothing else: {text}"}}


def filler() -> dict[str, Any]:
    """A response outside the conversation: it bridges a wait and leaves no trace the model reads later."""
    return {"type": "response.create", "response": {"conversation": "none", "instructions": FILLER_INSTRUCTIONS,
                                                    "metadata": {"purpose": FILLER}}}


def function_output(call_id: str, output: Any) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": {"type": "function_call_output", "call_id": call_id,
                                                         "output": dumps(output)}}


def message(role: str, text: str) -> dict[str, Any]:
    """A past message, to restore the conversation on a new connection."""
    kind = "input_text" if role == "user" else "output_text"
    return {"type": "conversation.item.create", "item": {"type": "message", "role": role,
                                                         "content": [{"type": kind, "text": text}]}}


def truncate(item_id: str, audio_end_ms: int) -> dict[str, Any]:
    return {"type": "conversation.item.truncate", "item_id": item_id, "content_index": 0,
            "audio_end_ms": audio_end_ms}


def text_message(text: str) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": {"type": "message", "role": "user",
                                                         "content": [{"type": "input_text", "text": text}]}}
