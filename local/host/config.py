"""What the host reads before it starts: host.json, local.settings.json and its keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024  # the Functions host's own request limit


@dataclass(frozen=True)
class HostKeys:
    """Function key (function-level routes), master key (everything) and a system key.

    The system key only opens /runtime/webhooks/*: it is what status URLs carry back to HTTP
    callers, so it must not be the master key. It is derived from the master key.
    """

    function_key: str
    master_key: str

    @property
    def system_key(self) -> str:
        digest = hmac.new(self.master_key.encode(), b"runtime-webhooks", hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def allows(self, level: str, presented: str | None) -> bool:
        """`level` is anonymous, function, admin or system."""
        if level == "anonymous":
            return True
        if not presented:
            return False
        accepted = {
            "function": (self.function_key, self.master_key),
            "admin": (self.master_key,),
            "system": (self.system_key, self.master_key),
        }[level]
        return any(hmac.compare_digest(presented, key) for key in accepted)


@dataclass(frozen=True)
class HostConfig:
    route_prefix: str
    function_timeout_seconds: float
    hub_name: str
    max_activities: int
    max_body_bytes: int

    @classmethod
    def from_host_json(cls, path: Path, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> HostConfig:
        host = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        extensions = host.get("extensions", {})
        durable = extensions.get("durableTask", {})
        return cls(
            route_prefix=extensions.get("http", {}).get("routePrefix", "api").strip("/"),
            function_timeout_seconds=_timespan_seconds(host.get("functionTimeout", "00:30:00")),
            hub_name=durable.get("hubName", "TestHubName"),
            max_activities=int(durable.get("maxConcurrentActivityFunctions", 10)),
            max_body_bytes=max_body_bytes,
        )


def _timespan_seconds(value: str) -> float:
    """host.json timespans are `[d.]hh:mm:ss`."""
    days = 0.0
    if "." in value.split(":", maxsplit=1)[0]:
        day_part, value = value.split(".", 1)
        days = float(day_part)
    hours, minutes, seconds = (float(part) for part in value.split(":"))
    return (days * 24 + hours) * 3600 + minutes * 60 + seconds


def load_local_settings(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Returns (Values, Host) of a local.settings.json."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `make setup` to create it from the sample")
    document = json.loads(path.read_text(encoding="utf-8"))
    return dict(document.get("Values", {})), dict(document.get("Host", {}))


def apply_app_settings(values: dict[str, str]) -> None:
    """Exports app settings as the worker sees them; the process environment wins over the file."""
    for name, value in values.items():
        os.environ.setdefault(name, str(value))


def host_keys(host_section: dict[str, Any]) -> HostKeys:
    function_key, master_key = host_section.get("FunctionKey"), host_section.get("MasterKey")
    if not function_key or not master_key:
        raise ValueError("local.settings.json has no Host.FunctionKey/Host.MasterKey: run `make setup`")
    return HostKeys(function_key=function_key, master_key=master_key)
