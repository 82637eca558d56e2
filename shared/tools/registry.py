"""How a tool is declared and run.

A tool is an async function `(ctx, *, arg: type = default, ...)`. Its JSON schema comes from the
signature (pydantic); arguments are validated before anything runs, unknown ones refused; each
tool has a timeout; every failure comes back as a result the agent can explain.

A tool is graded when declared: `personal` ones read or change the caller's personal data and
need a verified caller; `side_effect` ones change something and run only after a confirmed
read-back (they gain a `confirmed` argument, which alone never carries anything out); `acts_at_once`
ones change something the moment they run, with no read-back (a verification attempt, the call's end).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

log = logging.getLogger(__name__)
Tool = Callable[..., Awaitable[Any]]
Confirmed = Annotated[bool, Field(description="True only after the caller explicitly said yes to the read-back, "
                                              "in a later turn")]


class ToolRefusedError(Exception):
    """The tool will not act: the reason is said to the caller (another customer, no stock, ...)."""


class ReadBack(Exception):  # noqa: N818 (a signal, not an error)
    """A side-effecting tool has checked everything and now needs the caller's yes to this text."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    function: Tool
    arguments: type[BaseModel]
    timeout_seconds: float
    personal: bool
    side_effect: bool
    acts_at_once: bool = False

    def acts(self, arguments: dict[str, Any]) -> bool:
        """Whether this call changes something that dropping its read-back cannot undo."""
        return self.acts_at_once or (self.side_effect and arguments.get("confirmed") is True)

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
    needs_verification: bool = False
    conflict: bool = False  # the same tool-call id was used with other arguments


TOOLS: dict[str, ToolSpec] = {}


def tool(*, timeout_seconds: float = 5.0, personal: bool = False, side_effect: bool = False,
         acts_at_once: bool = False) -> Callable[[Tool], Tool]:
    """Registers a tool; its docstring's first paragraph is the description the model reads."""

    def register(function: Tool) -> Tool:
        hints = typing.get_type_hints(function, include_extras=True)
        fields: dict[str, Any] = {}
        for name, parameter in list(inspect.signature(function).parameters.items())[1:]:  # after ctx
            default = ... if parameter.default is inspect.Parameter.empty else parameter.default
            fields[name] = (hints[name], default)
        if side_effect:
            fields["confirmed"] = (Confirmed, False)
        arguments = create_model(f"{function.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
        description = inspect.cleandoc(function.__doc__ or function.__name__).split("\n\n")[0].replace("\n", " ")
        TOOLS[function.__name__] = ToolSpec(function.__name__, description, function, arguments, timeout_seconds,
                                            personal, side_effect, acts_at_once)
        return function

    return register


def validate(spec: ToolSpec, arguments: dict[str, Any]) -> BaseModel | ToolResult:
    """The arguments as the tool's types, or the result that names every wrong field."""
    try:
        return spec.arguments.model_validate(arguments)
    except ValidationError as error:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in error.errors()]
        return ToolResult(ok=False, error="invalid arguments: " + ", ".join(f["field"] for f in fields),
                          fields=fields)


async def execute(spec: ToolSpec, ctx: Any, arguments: dict[str, Any]) -> ToolResult:
    """Runs the tool under its timeout; a refusal, a timeout or a crash becomes a result."""
    try:
        result = await asyncio.wait_for(spec.function(ctx, **arguments), spec.timeout_seconds)
    except ReadBack:
        raise
    except ToolRefusedError as refusal:
        return ToolResult(ok=False, refused=True, error=str(refusal))
    except TimeoutError:
        return ToolResult(ok=False, error=f"{spec.name} took longer than {spec.timeout_seconds:g} s")
    except Exception as error:
        log.exception("tool %s failed", spec.name)
        return ToolResult(ok=False, error=f"{spec.name} failed ({type(error).__name__}); please try again later")
    return ToolResult(ok=True, result=result)
