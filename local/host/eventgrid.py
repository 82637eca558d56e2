"""Event Grid deliveries: both schemas, arrays of events, and the validation handshakes."""

from __future__ import annotations

import json
from typing import Any

from local.host.web import HostHttpError

VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent"
EVENT_GRID_FIELDS = ("id", "subject", "eventType", "eventTime", "data", "dataVersion")
CLOUD_EVENT_FIELDS = ("id", "source", "specversion", "type")


def parse_events(body: bytes) -> list[dict[str, Any]]:
    """The events of one delivery, each checked against its schema (Event Grid or CloudEvents 1.0)."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HostHttpError(400, f"the body is not JSON: {error}") from error
    except RecursionError as error:
        raise HostHttpError(400, "the body is nested too deeply") from error
    except ValueError as error:  # Python's limit on integer digits
        raise HostHttpError(400, f"the body has a number with too many digits: {error}") from error
    events = payload if isinstance(payload, list) else [payload]
    if not events:
        raise HostHttpError(400, "the body is an empty array: expected at least one event")
    for position, item in enumerate(events):
        if not isinstance(item, dict):
            raise HostHttpError(400, f"event {position} is a {type(item).__name__}, expected an object")
        cloud = "specversion" in item
        if not cloud and not isinstance(payload, list):
            raise HostHttpError(400, "Event Grid schema deliveries are JSON arrays of events")
        required = CLOUD_EVENT_FIELDS if cloud else EVENT_GRID_FIELDS
        missing = [name for name in required if name not in item]
        if missing:
            schema = "CloudEvents 1.0" if cloud else "Event Grid"
            raise HostHttpError(400, f"event {position} ({schema} schema) lacks {', '.join(missing)}")
    return events


def event_type(item: dict[str, Any]) -> str:
    return str(item.get("type") or item.get("eventType"))


def validation_code(events: list[dict[str, Any]]) -> str | None:
    """The code to echo when this delivery is Event Grid's subscription validation handshake."""
    first = events[0]
    if event_type(first) != VALIDATION_EVENT:
        return None
    data = first.get("data")
    code = data.get("validationCode") if isinstance(data, dict) else None
    if not code:
        raise HostHttpError(400, "SubscriptionValidationEvent without data.validationCode")
    return str(code)
