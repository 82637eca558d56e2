"""A function app that exercises every trigger and durable feature the local host serves.

Side effects go to files under PROBE_OUTPUT_DIR, so tests can count what ran and how often.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)


def record(kind: str, entry: dict) -> None:
    with (Path(os.environ["PROBE_OUTPUT_DIR"]) / f"{kind}.log").open("a") as log:
        log.write(json.dumps(entry) + "\n")


def apply_once(key: str) -> bool:
    """An idempotent side effect: creating a marker succeeds once per key."""
    try:
        (Path(os.environ["PROBE_OUTPUT_DIR"]) / f"applied-{key}").touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


@app.route(route="items/{id:int}", methods=["GET"])
def get_item(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(json.dumps({"id": int(req.route_params["id"]), "q": req.params.get("q")}),
                             mimetype="application/json")


@app.route(route="public/echo", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def echo(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(req.get_body(), status_code=201, mimetype="application/octet-stream")


@app.route(route="operator", methods=["GET"], auth_level=func.AuthLevel.ADMIN)
def operator(req: func.HttpRequest) -> str:
    return "admin only"


@app.route(route="broken", methods=["GET"])
def broken(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("this function always fails")


@app.route(route="orchestrations/{name}/{instance_id?}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    payload = req.get_json() if req.get_body() else None
    try:
        instance_id = await client.start_new(req.route_params["name"], req.route_params.get("instance_id"), payload)
    except Exception as error:  # the host refused: a duplicate running instance, an unknown name
        return func.HttpResponse(json.dumps({"error": str(error)}), status_code=409, mimetype="application/json")
    return client.create_check_status_response(req, instance_id)


@app.route(route="orchestrations/{instance_id}/events/{event}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def raise_event(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    await client.raise_event(req.route_params["instance_id"], req.route_params["event"], req.get_json())
    return func.HttpResponse(status_code=202)


@app.orchestration_trigger(context_name="context")
def fan_out_timer_event(context: df.DurableOrchestrationContext):
    steps = context.get_input()["steps"]
    results = yield context.task_all(
        [context.call_activity("record_step", {"instance": context.instance_id, "step": s}) for s in steps]
    )
    yield context.create_timer(context.current_utc_datetime + timedelta(seconds=1))
    context.set_custom_status("waiting for Approve")
    approval = yield context.wait_for_external_event("Approve")
    child = yield context.call_sub_orchestrator("child", {"double": len(results)})
    return {"results": results, "approval": approval, "child": child}


@app.orchestration_trigger(context_name="context")
def child(context: df.DurableOrchestrationContext):
    value = context.get_input()["double"]
    doubled = yield context.call_activity("double", value)
    return doubled


@app.orchestration_trigger(context_name="context")
def countdown(context: df.DurableOrchestrationContext):
    """Continues as new until its count reaches zero; each execution waits for one `tick` event."""
    state = context.get_input()
    if state["left"] == 0:
        return state
    tick = yield context.wait_for_external_event("tick")
    context.continue_as_new({"left": state["left"] - 1, "ticks": [*state["ticks"], tick]})
    return None


@app.orchestration_trigger(context_name="context")
def slow_then_done(context: df.DurableOrchestrationContext):
    work = {"instance": context.instance_id, "seconds": context.get_input()}
    outcome = yield context.call_activity("slow_step", work)
    return outcome


@app.orchestration_trigger(context_name="context")
def failing(context: df.DurableOrchestrationContext):
    yield context.call_activity("explode", None)


@app.activity_trigger(input_name="step")
def record_step(step: dict) -> str:
    record("steps", step)
    return f"step {step['step']} done"


@app.activity_trigger(input_name="value")
async def double(value: int) -> int:
    return value * 2


@app.activity_trigger(input_name="work")
def slow_step(work: dict) -> str:
    record("slow_attempts", work)
    # Keyed on the instance: a run repeated after a crash does not apply the effect twice.
    applied = apply_once(f"slow-{work['instance']}")
    time.sleep(work["seconds"])  # a crash here leaves the effect applied but the activity unfinished
    return "applied" if applied else "already applied"


@app.activity_trigger(input_name="nothing")
def explode(nothing: None) -> None:
    raise ValueError("activity refused its input")


@app.event_grid_trigger(arg_name="event")
def on_event(event: func.EventGridEvent) -> None:
    record("events", {"id": event.id, "type": event.event_type if hasattr(event, "event_type") else event.type,
                      "data": event.get_json()})


@app.blob_trigger(arg_name="blob", path="uploads/{name}", connection="AzureWebJobsStorage", source="EventGrid")
def on_upload(blob: func.InputStream) -> None:
    if "poison" in (blob.name or ""):
        record("poison", {"name": blob.name})
        raise ValueError("this blob cannot be processed")
    record("blobs", {"name": blob.name, "length": blob.length, "bytes": len(blob.read())})


@app.route(route="public/log-request", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def log_request(req: func.HttpRequest) -> str:
    """Logs what careless code logs: the URL (with `code=`) and every header, keys and tokens included."""
    logging.info("request %s with headers %s", req.url, dict(req.headers))
    print(f"headers: x-session-token: {req.headers.get('x-session-token')}, url {req.url}")
    return "logged"


@app.orchestration_trigger(context_name="context")
def slow_replay(context: df.DurableOrchestrationContext):
    """Takes a second over each replay, so a client call can land while an episode is under way."""
    record("slow_replays", {"instance": context.instance_id})
    time.sleep(1.0)
    yield context.call_activity("record_step", {"instance": context.instance_id, "step": "after replay"})
    return "ran to the end"


@app.orchestration_trigger(context_name="context")
def timer_or_next(context: df.DurableOrchestrationContext):
    """Round 0 races a short timer against `next`, then continues as new; round 1 races a long one."""
    round_ = context.get_input()["round"]
    seconds = 2 if round_ == 0 else 30
    timer = context.create_timer(context.current_utc_datetime + timedelta(seconds=seconds))
    nudge = context.wait_for_external_event("next")
    winner = yield context.task_any([timer, nudge])
    if round_ == 0 and winner is nudge:
        timer.cancel()
        context.continue_as_new({"round": 1})
        return None
    return {"round": round_, "winner": "timer" if winner is timer else "next"}


class ExtensionRetryOptions(df.RetryOptions):
    """Retry options with fields of the extension's that the SDK 1.7.0 does not send."""

    def __init__(self, first_ms: int, attempts: int, **extra: float) -> None:
        super().__init__(first_ms, attempts)
        self.extra = extra

    def to_json(self) -> dict:
        return {**super().to_json(), **self.extra}


@app.orchestration_trigger(context_name="context")
def retry_then_fan_out(context: df.DurableOrchestrationContext):
    """A task with retries whose attempts all fail, caught; then a fan-out must get fresh ids."""
    options = context.get_input()
    first_ms = options.pop("first_ms")
    retry = ExtensionRetryOptions(first_ms, 3, **options) if options else df.RetryOptions(first_ms, 3)
    try:
        yield context.call_activity_with_retry("always_fails", retry, context.instance_id)
        outcome = "succeeded"
    except Exception as error:
        outcome = str(error)
    squares = yield context.task_all([context.call_activity("double", n) for n in range(5)])
    child = yield context.call_sub_orchestrator_with_retry("flaky_child", df.RetryOptions(200, 3),
                                                           context.instance_id)
    return {"outcome": outcome, "doubled": squares, "child": child}


@app.orchestration_trigger(context_name="context")
def flaky_child(context: df.DurableOrchestrationContext):
    parent = context.get_input()
    result = yield context.call_activity("fails_first_time", parent)
    return result


@app.activity_trigger(input_name="instance")
def always_fails(instance: str) -> None:
    record("always_fails", {"instance": instance, "at": time.time()})
    raise ConnectionError("the dependency is down")


@app.activity_trigger(input_name="instance")
def fails_first_time(instance: str) -> str:
    if apply_once(f"flaky-child-{instance}"):
        raise ConnectionError("first call fails")
    return "child ok"


@app.orchestration_trigger(context_name="context")
def echo_event(context: df.DurableOrchestrationContext):
    """Returns its input and the `value` event as the orchestrator received them."""
    value = yield context.wait_for_external_event("value")
    given = context.get_input()
    return {"input": given, "input_type": type(given).__name__, "value": value, "type": type(value).__name__}


@app.route(route="client/{op}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def client_call(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Runs one call of the SDK's client with the JSON body's arguments; answers its result or its error."""
    args = req.get_json()
    calls = {
        "get_status_by": lambda: client.get_status_by(
            created_time_from=args.get("from") and datetime.fromisoformat(args["from"]),
            created_time_to=args.get("to") and datetime.fromisoformat(args["to"]),
            runtime_status=[df.OrchestrationRuntimeStatus(s) for s in args.get("statuses", [])] or None),
        "get_status_all": client.get_status_all,
        "purge_by": lambda: client.purge_instance_history_by(
            created_time_from=datetime.fromisoformat(args["from"]),
            runtime_status=[df.OrchestrationRuntimeStatus(s) for s in args.get("statuses", [])] or None),
        "suspend": lambda: client.suspend(args["id"], "a pause"),
        "resume": lambda: client.resume(args["id"], "go on"),
        "rewind": lambda: client.rewind(args["id"], "fixed it"),
        "restart": lambda: client.restart(args["id"], args.get("new_id", True)),
        "signal_entity": lambda: client.signal_entity(df.EntityId("Counter", "c1"), "add", 1),
        "read_entity_state": lambda: client.read_entity_state(df.EntityId("Counter", "c1")),
    }
    try:
        result = await calls[req.route_params["op"]]()
    except Exception as error:
        return func.HttpResponse(json.dumps({"error": str(error)}), status_code=500, mimetype="application/json")
    if isinstance(result, list):
        result = [s.instance_id for s in result]
    elif hasattr(result, "instances_deleted"):
        result = result.instances_deleted
    return func.HttpResponse(json.dumps({"result": result}), mimetype="application/json")


@app.orchestration_trigger(context_name="context")
def fails_until_fixed(context: df.DurableOrchestrationContext):
    """Its activity fails until the test creates the `fixed` marker: a case for rewind."""
    first = yield context.call_activity("record_step", {"instance": context.instance_id, "step": "before"})
    second = yield context.call_activity("needs_fix", context.instance_id)
    return [first, second]


@app.activity_trigger(input_name="instance")
def needs_fix(instance: str) -> str:
    record("needs_fix", {"instance": instance})
    if not (Path(os.environ["PROBE_OUTPUT_DIR"]) / "fixed").exists():
        raise RuntimeError("not fixed yet")
    return "fixed"


@app.orchestration_trigger(context_name="context")
def retry_fan_out(context: df.DurableOrchestrationContext):
    """Three tasks with retries, each failing once, fanned out beside a plain one; then one more task."""
    retry = df.RetryOptions(100, 3)
    flaky = [context.call_activity_with_retry("fails_first_time", retry, f"{context.instance_id}-{n}")
             for n in range(3)]
    results = yield context.task_all([*flaky, context.call_activity("double", 5)])
    after = yield context.call_activity("double", 21)
    return {"results": results, "after": after}
