"""How a tool is declared and run.

A tool is an async function `(ctx, *, arg: type = default, ...)`. Its JSON schema comes from the
signature (pydantic); arguments are validated before anything runs, unknown ones refused; each
tool has a timeout; every failure comes back as a result the agent can explain.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

log = logging.getLogger(__name__)
Tool = Callable[..., Awaitable[Any]]


class ToolRefusedError(Exception):
    """The tool will not act: the reason is said to the caller (another customer, no stock, ...)."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    function: Tool
    arguments: type[BaseModel]
    timeout_seconds: float

    def schema(self) -> dict[str, Any]:
        """The tool as an OpenAI-compatible function definition."""
        parameters = self.arguments.model_json_schema()
        parameters.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": parameters}}


class ToolResult(BaseModel):
    ok: bool
    result: Any = None
    error: str | None = None
    refused: bool = False
    fields: list[dict[str, str]] = []


TOOLS: dict[str, ToolSpec] = {}


def tool(*, timeout_seconds: float = 5.0) -> Callable[[Tool], Tool]:
    """Registers a tool; its docstring's first paragraph is the description the model reads."""

    def register(function: Tool) -> Tool:
        hints = typing.get_type_hints(function, include_extras=True)
        fields: dict[str, Any] = {}
        for name, parameter in list(inspect.signature(function).parameters.items())[1:]:  # after ctx
            default = ... if parameter.default is inspect.Parameter.empty else parameter.default
            fields[name] = (hints[name], default)
        arguments = create_model(f"{function.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
        description = inspect.cleandoc(function.__doc__ or function.__name__).split("\n\n")[0].replace("\n", " ")
        TOOLS[function.__name__] = ToolSpec(function.__name__, description, function, arguments, timeout_seconds)
        return function

    return register


async def invoke(name: str, arguments: dict[str, Any], ctx: Any) -> ToolResult:
    spec = TOOLS.get(name)
    if spec is None:
        return ToolResult(ok=False, error=f"no tool named {name!r}")
    try:
        valid = spec.arguments.model_validate(arguments)
    except ValidationError as error:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in error.errors()]
        return ToolResult(ok=False, error="invalid arguments: " + ", ".join(f["field"] for f in fields),
                          fields=fields)
    try:
        result = await asyncio.wait_for(spec.function(ctx, **dict(valid)), spec.timeout_seconds)
    except ToolRefusedError as refusal:
        return ToolResult(ok=False, refused=True, error=str(refusal))
    except TimeoutError:
        return ToolResult(ok=False, error=f"{name} took longer than {spec.timeout_seconds:g} s")
    except Exception as error:
        log.exception("tool %s failed", name)
        return ToolResult(ok=False, error=f"{name} failed ({type(error).__name__}); please try again later")
    return ToolResult(ok=True, result=result)
