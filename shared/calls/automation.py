"""Call Automation through the ACS SDK: answer with bidirectional media streaming, hang up, transfer.

One async client per event loop, made on first use (never at import: the answer path stays light).
The same code talks to Azure and to the local simulator; only the connection string and the
certificate to trust differ.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from shared.settings import Settings

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]] = weakref.WeakKeyDictionary()


def _verify(setting: str) -> bool | str:
    return {"true": True, "false": False}.get(setting.lower(), setting)


def client(settings: Settings) -> Any:
    from azure.communication.callautomation.aio import CallAutomationClient

    from shared.azure_http import transport

    if not settings.acs_connection_string:
        raise RuntimeError("ACS_CONNECTION_STRING is not set")
    per_loop = _clients.setdefault(asyncio.get_running_loop(), {})
    if settings.acs_connection_string not in per_loop:
        per_loop[settings.acs_connection_string] = CallAutomationClient.from_connection_string(
            settings.acs_connection_string, transport=transport(connection_verify=_verify(settings.acs_verify_tls)))
    return per_loop[settings.acs_connection_string]


async def answer(settings: Settings, incoming_call_context: str, callback_url: str, media_url: str) -> str:
    """Answers with the call's audio streamed both ways as 24 kHz PCM (the realtime models' own format);
    returns the call connection id."""
    from azure.communication.callautomation import (
        AudioFormat,
        MediaStreamingAudioChannelType,
        MediaStreamingContentType,
        MediaStreamingOptions,
        StreamingTransportType,
    )

    streaming = MediaStreamingOptions(
        transport_url=media_url, transport_type=StreamingTransportType.WEBSOCKET,
        content_type=MediaStreamingContentType.AUDIO, audio_channel_type=MediaStreamingAudioChannelType.MIXED,
        start_media_streaming=True, enable_bidirectional=True, audio_format=AudioFormat.PCM24_K_MONO)
    answered = await client(settings).answer_call(incoming_call_context, callback_url, media_streaming=streaming)
    return answered.call_connection_id


async def hang_up(settings: Settings, call_connection_id: str) -> None:
    await client(settings).get_call_connection(call_connection_id).hang_up(is_for_everyone=True)


async def transfer(settings: Settings, call_connection_id: str, phone: str) -> None:
    from azure.communication.callautomation import PhoneNumberIdentifier

    await client(settings).get_call_connection(call_connection_id).transfer_call_to_participant(
        PhoneNumberIdentifier(phone), operation_context="transfer-to-human")
