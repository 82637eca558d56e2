"""A queue trigger for the host's tests; its host.json sets a short polling interval and 3 dequeues.

Each delivery appends the `QueueMessage` fields to `<PROBE_OUTPUT_DIR>/deliveries.log`; a body
starting with `fail` raises.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import azure.functions as func

app = func.FunctionApp()


@app.queue_trigger(arg_name="message", queue_name="work-items", connection="AzureWebJobsStorage")
def work(message: func.QueueMessage) -> None:
    body = message.get_body().decode()
    entry = {"id": message.id, "body": body, "dequeue_count": message.dequeue_count,
             "pop_receipt": bool(message.pop_receipt), "inserted": message.insertion_time.isoformat(),
             "expires": message.expiration_time.isoformat(), "next_visible": message.time_next_visible.isoformat()}
    with (Path(os.environ["PROBE_OUTPUT_DIR"]) / "deliveries.log").open("a") as log:
        log.write(json.dumps(entry) + "\n")
    if body.startswith("fail"):
        raise ValueError("this message cannot be processed")
