"""What the host reads before it starts: host.json, local.settings.json and its keys.

Every mistake in these files stops the host with a `StartupError` naming the file and the field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024  # the Functions host's own request limit
TIMESPAN = re.compile(r"^(?:(?P<days>\d+)\.)?(?P<h>\d+):(?P<m>\d+):(?P<s>\d+(?:\.\d+)?)$")
T = TypeVar("T")


class StartupError(Exception):
    """A file the host needs is missing or wrong; the message names the file and the field."""


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
class QueueOptions:
    """host.json `extensions.queues`, with the Functions host's defaults."""

    batch_size: int = 16
    new_batch_threshold: int = 8
    max_dequeue_count: int = 5
    visibility_timeout_seconds: float = 0.0
    max_polling_interval_seconds: float = 60.0
    base64: bool = True  # messageEncoding: base64 (the default) or none


@dataclass(frozen=True)
class HostConfig:
    route_prefix: str
    function_timeout_seconds: float
    hub_name: str
    max_activities: int
    max_body_bytes: int
    queues: QueueOptions = QueueOptions()

    @classmethod
    def from_host_json(cls, path: Path, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> HostConfig:
        host = read_json_object(path) if path.is_file() else {}
        field = _Fields(path.name, host)
        queues = QueueOptions()
        batch_size = field.get("extensions.queues.batchSize", int, queues.batch_size)
        if not 1 <= batch_size <= 32:
            raise StartupError(f"{path.name}: extensions.queues.batchSize is {batch_size}; it must be 1 to 32")
        encoding = field.get("extensions.queues.messageEncoding", str, "base64").lower()
        if encoding not in {"base64", "none"}:
            raise StartupError(f"{path.name}: extensions.queues.messageEncoding is {encoding!r}; "
                               "expected base64 or none")
        return cls(
            route_prefix=field.get("extensions.http.routePrefix", str, "api").strip("/"),
            function_timeout_seconds=field.get("functionTimeout", timespan_seconds, 1800.0),
            hub_name=field.get("extensions.durableTask.hubName", str, "TestHubName"),
            max_activities=field.get("extensions.durableTask.maxConcurrentActivityFunctions", int, 10),
            max_body_bytes=max_body_bytes,
            queues=QueueOptions(
                batch_size=batch_size,
                new_batch_threshold=field.get("extensions.queues.newBatchThreshold", int, batch_size // 2),
                max_dequeue_count=field.get("extensions.queues.maxDequeueCount", int, queues.max_dequeue_count),
                visibility_timeout_seconds=field.get("extensions.queues.visibilityTimeout", timespan_seconds,
                                                     queues.visibility_timeout_seconds),
                max_polling_interval_seconds=field.get("extensions.queues.maxPollingInterval", timespan_seconds,
                                                       queues.max_polling_interval_seconds),
                base64=encoding == "base64",
            ),
        )


class _Fields:
    """Reads dotted fields of a JSON document, converting each and naming it when it is wrong."""

    def __init__(self, file_name: str, document: dict[str, Any]) -> None:
        self._file = file_name
        self._document = document

    def get(self, dotted: str, convert: Callable[[Any], T], default: T) -> T:
        value: Any = self._document
        for part in dotted.split("."):
            if not isinstance(value, dict):
                raise StartupError(f"{self._file}: {dotted.rsplit('.', 1)[0]} must be an object")
            if part not in value:
                return default
            value = value[part]
        if convert is int and (isinstance(value, bool) or not isinstance(value, int | str)):
            raise StartupError(f"{self._file}: {dotted} is {value!r}; expected a whole number")
        if convert is str and not isinstance(value, str):
            raise StartupError(f"{self._file}: {dotted} is {value!r}; expected a string")
        try:
            return convert(value)
        except ValueError as error:
            raise StartupError(f"{self._file}: {dotted} is {value!r}: {error}") from None


def timespan_seconds(value: Any) -> float:
    """host.json timespans are `[d.]hh:mm:ss[.fff]`."""
    found = TIMESPAN.match(value) if isinstance(value, str) else None
    if not found:
        raise ValueError("expected a timespan [d.]hh:mm:ss")
    days = int(found["days"] or 0)
    return ((days * 24 + int(found["h"])) * 60 + int(found["m"])) * 60 + float(found["s"])


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON file holding an object; a syntax error is reported with its line and column."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise StartupError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise StartupError(f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(document, dict):
        raise StartupError(f"{path}: expected a JSON object at the top, found {type(document).__name__}")
    return document


def load_local_settings(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Returns (Values, Host) of a local.settings.json."""
    if not path.is_file():
        raise StartupError(f"{path} not found: run `make setup` to create it from the sample")
    document = read_json_object(path)
    values, host = document.get("Values", {}), document.get("Host", {})
    for name, section in (("Values", values), ("Host", host)):
        if not isinstance(section, dict):
            raise StartupError(f"{path}: {name} must be an object, found {type(section).__name__}")
    for name, value in values.items():
        if not isinstance(value, str | int | float | bool):
            raise StartupError(f"{path}: Values.{name} must be a string, found {type(value).__name__}")
    port = host.get("LocalHttpPort", 7071)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise StartupError(f"{path}: Host.LocalHttpPort is {port!r}; expected a port number")
    return {name: str(value) for name, value in values.items()}, dict(host)


def apply_app_settings(values: dict[str, str]) -> None:
    """Exports app settings as the worker sees them; the process environment wins over the file."""
    for name, value in values.items():
        os.environ.setdefault(name, value)


def host_keys(host_section: dict[str, Any], path: Path) -> HostKeys:
    function_key, master_key = host_section.get("FunctionKey"), host_section.get("MasterKey")
    for name, value in (("FunctionKey", function_key), ("MasterKey", master_key)):
        if not value or not isinstance(value, str):
            raise StartupError(f"{path}: Host.{name} is empty or missing: run `make setup` to generate the keys")
    return HostKeys(function_key=function_key, master_key=master_key)  # type: ignore[arg-type]
