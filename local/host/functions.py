"""The app's functions and their bindings, read from `app.get_functions()` once."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local.host.routes import RouteTemplate
from local.host.schedule import Schedule, ScheduleError

TRIGGERS = {"httpTrigger", "eventGridTrigger", "blobTrigger", "orchestrationTrigger", "activityTrigger",
            "timerTrigger", "queueTrigger"}
# Bindings the host fills itself besides the trigger; a function with any other is not served.
COMPANIONS = {"http", "durableClient", "queue"}
OUTPUTS = {"queue"}  # written after the function succeeds


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    trigger: dict[str, Any]
    user_function: Callable[..., Any]
    client_binding: str | None = None
    # The code the user wrote (the durable client decorator wraps it).
    target: Callable[..., Any] = field(default=None, repr=False)  # type: ignore[assignment]
    outputs: tuple[dict[str, Any], ...] = ()

    @property
    def trigger_type(self) -> str:
        return str(self.trigger["type"])

    @property
    def trigger_name(self) -> str:
        return str(self.trigger["name"])


@dataclass(frozen=True)
class HttpFunction:
    info: FunctionInfo
    route: RouteTemplate
    methods: frozenset[str] | None
    auth_level: str


@dataclass
class FunctionIndex:
    """Functions grouped by what triggers them."""

    by_name: dict[str, FunctionInfo]
    http: list[HttpFunction]
    orchestrators: dict[str, FunctionInfo]
    activities: dict[str, FunctionInfo]
    # Functions this host cannot run, with why: the rest of the app is served all the same.
    refused: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_functions(cls, functions: list[Any]) -> FunctionIndex:
        index = cls(by_name={}, http=[], orchestrators={}, activities={})
        for function in functions:
            name = function.get_function_name()
            bindings = json.loads(function.get_function_json())["bindings"]
            reason = cls.refusal(bindings)
            if reason:
                index.refused[name] = reason
            else:
                index._add(name, bindings, function.get_user_function())
        index.http.sort(key=lambda h: h.route.precedence)
        return index

    def of_trigger(self, trigger_type: str) -> list[FunctionInfo]:
        return [info for info in self.by_name.values() if info.trigger_type == trigger_type]

    @staticmethod
    def refusal(bindings: list[dict[str, Any]]) -> str | None:
        """Why this host cannot run a function with these bindings; None when it can."""
        unknown = [b for b in bindings if b["type"] not in TRIGGERS | COMPANIONS]
        if unknown:
            return "; ".join(f"binding {b['name']!r} of type {b['type']} is not supported" for b in unknown)
        triggers = [b for b in bindings if b["type"] in TRIGGERS]
        if any(b["type"] in OUTPUTS and str(b.get("direction")).upper() != "OUT" for b in bindings):
            return "a queue binding as input is not supported (only queue outputs)"
        if len(triggers) != 1:
            return f"it has {len(triggers)} triggers; a function has exactly one"
        trigger = triggers[0]
        if trigger["type"] == "blobTrigger" and trigger.get("source") != "EventGrid":
            # Flex Consumption only runs blob triggers fed by Event Grid; keep local runs honest.
            return "binding of type blobTrigger needs source=EventGrid (polling blob triggers are not supported)"
        if trigger["type"] == "timerTrigger":
            try:
                Schedule.parse(str(trigger.get("schedule", "")))
            except ScheduleError as error:
                return f"binding of type timerTrigger: {error}"
        return None

    def _add(self, name: str, bindings: list[dict[str, Any]], user_function: Callable[..., Any]) -> None:
        trigger = next(b for b in bindings if b["type"] in TRIGGERS)
        client = next((b["name"] for b in bindings if b["type"] == "durableClient"), None)
        target = getattr(user_function, "client_function", None) or getattr(
            user_function, "orchestrator_function", user_function
        )
        outputs = tuple(b for b in bindings if b["type"] in OUTPUTS)
        info = FunctionInfo(name, trigger, user_function, client, target, outputs)
        self.by_name[name] = info
        kind = trigger["type"]
        if kind == "httpTrigger":
            methods = trigger.get("methods")
            self.http.append(
                HttpFunction(
                    info=info,
                    route=RouteTemplate.compile(trigger.get("route") or name),
                    methods=frozenset(m.upper() for m in methods) if methods else None,
                    auth_level=str(trigger.get("authLevel", "FUNCTION")).lower(),
                )
            )
        # `call_activity(fn)` sends the Python name, a string sends the registered one: map both.
        registry = {"orchestrationTrigger": self.orchestrators, "activityTrigger": self.activities}.get(kind)
        if registry is not None:
            for alias in {name, trigger.get("orchestration") or trigger.get("activity") or name,
                          target.__name__}:
                registry[alias] = info
