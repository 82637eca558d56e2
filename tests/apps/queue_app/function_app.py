"""A queue trigger for the host's tests; its host.json sets a short polling interval and 3 dequeues.

Each delivery appends the `QueueMessage` fields to `<PROBE_OUTPUT_DIR>/deliveries.log`; a body
starting with `fail` raises, any other is answered on `work-done`. `POST /api/enqueue` adds a message
through a queue output binding.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="enqueue", methods=["POST"])
@app.queue_output(arg_name="outbox", queue_name="work-items", connection="AzureWebJobsStorage")
def enqueue(req: func.HttpRequest, outbox: func.Out[str]) -> func.HttpResponse:
    outbox.set(req.get_body().decode())
    return func.HttpResponse(status_code=202)


@app.queue_trigger(arg_name="message", queue_name="work-items", connection="AzureWebJobsStorage")
@app.queue_output(arg_name="$return", queue_name="work-done", connection="AzureWebJobsStorage")
def work(message: func.QueueMessage) -> str:
    body = message.get_body().decode()
    entry = {"id": message.id, "body": body, "dequeue_count": message.dequeue_count,
             "pop_receipt": bool(message.pop_receipt), "inserted": message.insertion_time.isoformat(),
             "expires": message.expiration_time.isoformat(), "next_visible": message.time_next_visible.isoformat()}
    with (Path(os.environ["PROBE_OUTPUT_DIR"]) / "deliveries.log").open("a") as log:
        log.write(json.dumps(entry) + "\n")
    if body.startswith("fail"):
        raise ValueError("this message cannot be processed")
    return f"done: {body}"
