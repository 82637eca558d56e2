"""An app with functions the local host cannot run beside one it can: the host serves that one."""

from __future__ import annotations

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="hello", methods=["GET"])
def hello(req: func.HttpRequest) -> str:
    return "still served"


@app.service_bus_queue_trigger(arg_name="message", queue_name="orders", connection="ServiceBus")
def on_order(message: func.ServiceBusMessage) -> None:
    pass


@app.cosmos_db_trigger(arg_name="documents", container_name="items", database_name="db", connection="Cosmos")
def on_change(documents: func.DocumentList) -> None:
    pass


@app.blob_trigger(arg_name="blob", path="uploads/{name}", connection="AzureWebJobsStorage")
def polled_blob(blob: func.InputStream) -> None:
    pass


@app.route(route="with-blob", methods=["GET"])
@app.blob_input(arg_name="blob", path="uploads/x.txt", connection="AzureWebJobsStorage")
def http_with_blob(req: func.HttpRequest, blob: str) -> str:
    return blob


@app.timer_trigger(schedule="*/5 * * * *", arg_name="timer")
def five_fields(timer: func.TimerRequest) -> None:
    pass
