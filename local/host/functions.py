"""The app's functions and their bindings, read from `app.get_functions()` once."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local.host.routes import RouteTemplate

TRIGGERS = {"httpTrigger", "eventGridTrigger", "blobTrigger", "orchestrationTrigger", "activityTrigger"}
# Bindings the host fills itself besides the trigger; anything else is refused at start-up.
COMPANIONS = {"http", "durableClient"}


class HostConfigError(ValueError):
    """The app asks for something this host does not provide."""


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    trigger: dict[str, Any]
    user_function: Callable[..., Any]
    client_binding: str | None = None
    # The code the user wrote (the durable client decorator wraps it).
    target: Callable[..., Any] = field(default=None, repr=False)  # type: ignore[assignment]

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

    @classmethod
    def load(cls, spec: str) -> FunctionIndex:
        """`spec` is `module:attribute`, e.g. `function_app:app`."""
        module_name, _, attribute = spec.partition(":")
        app = getattr(importlib.import_module(module_name), attribute or "app")
        return cls.from_functions(app.get_functions())

    @classmethod
    def from_functions(cls, functions: list[Any]) -> FunctionIndex:
        index = cls(by_name={}, http=[], orchestrators={}, activities={})
        for function in functions:
            index._add(function)
        index.http.sort(key=lambda h: h.route.precedence)
        return index

    def _add(self, function: Any) -> None:
        name = function.get_function_name()
        bindings = json.loads(function.get_function_json())["bindings"]
        triggers = [b for b in bindings if b["type"] in TRIGGERS]
        unknown = [b["type"] for b in bindings if b["type"] not in TRIGGERS | COMPANIONS]
        if len(triggers) != 1 or unknown:
            raise HostConfigError(f"function {name!r}: unsupported bindings {unknown or bindings}")
        trigger = triggers[0]
        client = next((b["name"] for b in bindings if b["type"] == "durableClient"), None)
        user_function = function.get_user_function()
        target = getattr(user_function, "client_function", None) or getattr(
            user_function, "orchestrator_function", user_function
        )
        info = FunctionInfo(name, trigger, user_function, client, target)
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
        elif kind == "blobTrigger" and trigger.get("source") != "EventGrid":
            # Flex Consumption only runs blob triggers fed by Event Grid; keep local runs honest.
            raise HostConfigError(f"function {name!r}: blob triggers need source=EventGrid")
        # `call_activity(fn)` sends the Python name, a string sends the registered one: map both.
        registry = {"orchestrationTrigger": self.orchestrators, "activityTrigger": self.activities}.get(kind)
        if registry is not None:
            for alias in {name, trigger.get("orchestration") or trigger.get("activity") or name,
                          target.__name__}:
                registry[alias] = info
