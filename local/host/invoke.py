"""Calls a user function the way the Python worker does, with one log line per invocation."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import azure.functions as func

from local.host.functions import FunctionInfo

log = logging.getLogger("host")


class FunctionTimeoutError(TimeoutError):
    """The function ran past host.json's functionTimeout."""


class InvocationContext(func.Context):
    """What a function's `context` parameter receives."""

    def __init__(self, invocation_id: str, function_name: str) -> None:
        self._invocation_id = invocation_id
        self._function_name = function_name
        self._thread_local = threading.local()

    @property
    def invocation_id(self) -> str:
        return self._invocation_id

    @property
    def thread_local_storage(self) -> threading.local:  # type: ignore[override]
        return self._thread_local

    @property
    def function_name(self) -> str:
        return self._function_name

    @property
    def function_directory(self) -> str:
        return "."

    @property
    def trace_context(self) -> func.TraceContext:
        return func.TraceContext(f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-00", "", {})

    @property
    def retry_context(self) -> func.RetryContext:
        return func.RetryContext(0, 0, {})


class OutValue(func.Out[Any]):
    """What an output binding parameter receives: the function `set`s the value the host then writes."""

    def __init__(self) -> None:
        self._value: Any = None

    def set(self, val: Any) -> None:
        self._value = val

    def get(self) -> Any:
        return self._value


# Writes a function's output binding values (binding dict, value) once it has succeeded.
OutputWriter = Callable[[FunctionInfo, list[tuple[dict[str, Any], Any]]], Awaitable[None]]


class Invoker:
    def __init__(self, client_json: Callable[[], str], timeout_seconds: float, threads: int,
                 write_outputs: OutputWriter | None = None) -> None:
        self._client_json = client_json
        self._write_outputs = write_outputs
        self._timeout = timeout_seconds
        # Sync functions run here, as in the worker, so one slow call never blocks the loop.
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="function")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def call(
        self,
        info: FunctionInfo,
        trigger_value: Any,
        describe: Callable[[Any], str] = lambda _: "ok",
    ) -> Any:
        """Runs the function; `describe` turns its result into the log line's outcome."""
        invocation_id = str(uuid.uuid4())
        outs = {b["name"]: OutValue() for b in info.outputs if b["name"] != "$return"}
        if info.trigger_type == "orchestrationTrigger":
            # The durable wrapper takes the context JSON positionally.
            call = partial(info.user_function, trigger_value)
        else:
            kwargs = {info.trigger_name: trigger_value, **outs}
            if info.client_binding:
                kwargs[info.client_binding] = self._client_json()
            if "context" in inspect.signature(info.target).parameters:
                kwargs["context"] = InvocationContext(invocation_id, info.name)
            call = partial(info.user_function, **kwargs)
        started = time.perf_counter()
        outcome = "error"
        try:
            if inspect.iscoroutinefunction(info.user_function):
                work = call()
            else:
                work = asyncio.get_running_loop().run_in_executor(self._pool, call)
            try:
                result = await asyncio.wait_for(work, self._timeout)
            except TimeoutError as error:
                outcome = "timeout"
                raise FunctionTimeoutError(f"{info.name} ran longer than {self._timeout:g} s") from error
            if info.outputs and self._write_outputs:
                values = [(b, result if b["name"] == "$return" else outs[b["name"]].get()) for b in info.outputs]
                await self._write_outputs(info, values)
            outcome = describe(result)
            return result
        except Exception as error:
            if outcome == "error":
                outcome = f"error {type(error).__name__}"
            raise
        finally:
            log.info(
                "invocation function=%s trigger=%s id=%s duration_ms=%.1f outcome=%s",
                info.name, info.trigger_type, invocation_id,
                (time.perf_counter() - started) * 1000, outcome,
            )
