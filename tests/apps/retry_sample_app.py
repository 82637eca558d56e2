"""The retry sample of the Durable Functions Python docs (error handling: "Automatic retry on
failure"), in the v2 programming model with the samples' HTTP starter.

`FlakyFunction` fails its first two calls, so the third attempt succeeds after two 5 s waits.
Attempts are counted in RETRY_SAMPLE_DIR, so a test can see how often it ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

myApp = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)  # noqa: N816 (the sample's name)


@myApp.route(route="orchestrators/{functionName}")
@myApp.durable_client_input(client_name="client")
async def http_start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    instance_id = await client.start_new(req.route_params.get("functionName"))
    return client.create_check_status_response(req, instance_id)


@myApp.orchestration_trigger(context_name="context")
def orchestrator_function(context: df.DurableOrchestrationContext):
    first_retry_interval_in_milliseconds = 5000
    max_number_of_attempts = 3

    retry_options = df.RetryOptions(first_retry_interval_in_milliseconds, max_number_of_attempts)

    result = yield context.call_activity_with_retry("FlakyFunction", retry_options)
    return result


@myApp.activity_trigger(input_name="nothing")
def FlakyFunction(nothing: None) -> str:  # noqa: N802 (the sample's name)
    attempts = Path(os.environ["RETRY_SAMPLE_DIR"]) / "attempts.log"
    with attempts.open("a") as log:
        log.write("attempt\n")
    count = len(attempts.read_text().splitlines())
    if count < 3:
        raise RuntimeError(f"transient failure {count}")
    return f"succeeded on attempt {count}"


app = myApp
