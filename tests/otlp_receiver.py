"""An OTLP/HTTP trace receiver on loopback: what a collector (Jaeger, the OpenTelemetry Collector) would get."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from local.threaded_server import serving


@dataclass(frozen=True)
class ReceivedSpan:
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    service: str
    attributes: dict[str, object]


@dataclass
class OtlpReceiver:
    spans: list[ReceivedSpan] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def _traces(self, request: Request) -> Response:
        export = ExportTraceServiceRequest.FromString(await request.body())
        received = [ReceivedSpan(span.name, span.trace_id.hex(), span.span_id.hex(), span.parent_span_id.hex(),
                                 _service(resource.resource.attributes),
                                 {a.key: _value(a.value) for a in span.attributes})
                    for resource in export.resource_spans for scope in resource.scope_spans for span in scope.spans]
        with self._lock:
            self.spans.extend(received)
        return Response(ExportTraceServiceResponse().SerializeToString(), media_type="application/x-protobuf")

    @contextmanager
    def serving(self) -> Iterator[OtlpReceiver]:
        with serving(Starlette(routes=[Route("/v1/traces", self._traces, methods=["POST"])])) as port:
            self.url = f"http://127.0.0.1:{port}"
            yield self


def _value(value: object) -> object:
    kind = value.WhichOneof("value")  # type: ignore[attr-defined]
    if kind == "array_value":
        return [_value(v) for v in value.array_value.values]  # type: ignore[attr-defined]
    return getattr(value, kind) if kind else None


def _service(attributes: object) -> str:
    return next((a.value.string_value for a in attributes if a.key == "service.name"), "")  # type: ignore[attr-defined]
