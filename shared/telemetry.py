"""One OpenTelemetry trace per conversation, whichever function or process does the work.

A call is handled by many invocations that share no memory (the Event Grid trigger, each callback,
activities, tool calls from the media container, the post-call record), so none of them can hand a
span to the next. Each span instead takes as parent a span context derived from the conversation's id
(for a call, its orchestration's instance id): every span of one call lands in one trace, with no id
to store or pass along. Exported as `TELEMETRY_EXPORTER` says: nowhere (the default), the console, an
OTLP endpoint, or Azure Monitor. The SDK is loaded on the first span of a process that exports, never
at import (the API alone already comes with the Durable Functions SDK).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, TraceFlags, Tracer

from shared.settings import Settings

SERVICE = "callcenter-functions"
_configured: dict[str, Tracer] = {}
_lock = threading.Lock()


def trace_id_of(conversation_id: str) -> int:
    return int.from_bytes(hashlib.sha256(conversation_id.encode()).digest()[:16], "big") or 1


def _root(conversation_id: str) -> otel_context.Context:
    digest = hashlib.sha256(conversation_id.encode()).digest()
    root = SpanContext(trace_id_of(conversation_id), int.from_bytes(digest[16:24], "big") or 1, is_remote=True,
                       trace_flags=TraceFlags(TraceFlags.SAMPLED))
    return trace.set_span_in_context(NonRecordingSpan(root))


def tracer(settings: Settings, service: str = SERVICE) -> Tracer:
    """The process's tracer, set up once for the configured exporter."""
    if service not in _configured:
        with _lock:
            if service not in _configured:
                _configured[service] = _setup(settings, service)
    return _configured[service]


def _setup(settings: Settings, service: str) -> Tracer:
    exporter = settings.telemetry_exporter
    if exporter == "none":
        return trace.NoOpTracer()
    if exporter == "azure_monitor":
        from azure.monitor.opentelemetry import configure_azure_monitor

        from shared.credentials import identity

        # Application Insights takes Entra-authenticated writes only (the template turns keys off).
        configure_azure_monitor(connection_string=settings.applicationinsights_connection_string,
                                credential=identity(settings), resource=_resource(service))
        return trace.get_tracer(__name__)
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    chosen: SpanExporter
    if exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        chosen = OTLPSpanExporter(endpoint=settings.otlp_endpoint.rstrip("/") + "/v1/traces")
    else:
        chosen = ConsoleSpanExporter()
    provider = TracerProvider(resource=_resource(service))
    provider.add_span_processor(BatchSpanProcessor(chosen))
    return provider.get_tracer(__name__)


def _resource(service: str) -> Any:
    from opentelemetry.sdk.resources import Resource

    return Resource.create({"service.name": service})


@contextmanager
def conversation_span(settings: Settings, conversation_id: str, name: str, **attributes: Any) -> Iterator[Span]:
    """A span in the conversation's trace: under the current span when that one is of the same conversation
    (a tool inside a turn), else directly under the conversation's derived root."""
    current = trace.get_current_span().get_span_context()
    parent = None if current.is_valid and current.trace_id == trace_id_of(conversation_id) else _root(conversation_id)
    with tracer(settings).start_as_current_span(name, context=parent,
                                                attributes={"conversation.id": conversation_id,
                                                            **attributes}) as span:
        yield span
