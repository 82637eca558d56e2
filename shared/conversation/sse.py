"""Runtime events as server-sent events: `event:` names the kind, `data:` holds its fields as JSON."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable

from shared.conversation.events import OutEvent


def _name(event: OutEvent) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()  # TextDelta -> text_delta


def server_sent_events(events: Iterable[OutEvent]) -> str:
    return "".join(f"event: {_name(e)}\ndata: {json.dumps(dataclasses.asdict(e), default=_plain)}\n\n"
                   for e in events)


def _plain(value: object) -> object:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if dump else str(value)
