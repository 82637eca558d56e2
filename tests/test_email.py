"""Email adapters: Azure Communication Services through its SDK and a Logic Apps workflow against stubs of
their documented APIs, SMTP against the local stack's real SMTP server, and a send that arrives once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import subprocess
import sys
import uuid
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local.stack import Endpoints
from shared.diagnostics import run_check
from shared.mail.acs import AcsSender
from shared.mail.port import EmailNotSentError, OutgoingEmail
from shared.mail.smtp import SmtpSender
from shared.mail.workflow import WorkflowSender
from shared.settings import Settings
from shared.tools.email import deliver, outbox
from tests.stub_server import serving

EMAIL = OutgoingEmail(idempotency_key="mail-0123456789abcdef", sender="agents@contoso-outdoor.example",
                      to="ada@example.com", subject="Your order", body="2 x tent, 398.00 in total.")
ACS_KEY = base64.b64encode(b"a test access key of the resource").decode()

# --- Azure Communication Services Email -----------------------------------------------------------------
# REST shape from the Email REST reference (learn.microsoft.com/rest/api/communication/dataplane/email/send):
# POST {endpoint}/emails:send?api-version=... with {senderAddress, recipients: {to: [{address}]}, content:
# {subject, plainText}}, an optional Operation-Id header, answered 202 {id, status: "Running"} with an
# Operation-Location header; GET on that answers {id, status: "Succeeded"|"Failed", error}. Requests are
# signed as the SDK's HMACCredentialsPolicy does: "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256
# &Signature=" over "VERB\npath?query\ndate;host;content-hash".


def acs_service(requests: list[dict[str, Any]], outcome: str = "Succeeded", status: int = 202) -> list[Route]:
    async def send(request: Request) -> Response:
        body = await request.body()
        host = request.headers["host"]
        signed = f"POST\n{request.url.path}?{request.url.query}\n{request.headers['x-ms-date']};{host};" \
                 f"{request.headers['x-ms-content-sha256']}"
        expected = base64.b64encode(hmac.new(base64.b64decode(ACS_KEY), signed.encode(), hashlib.sha256).digest())
        requests.append({"query": dict(request.query_params), "operation_id": request.headers.get("operation-id"),
                         "json": await request.json(),
                         "signature_ok": request.headers["authorization"] == "HMAC-SHA256 SignedHeaders=x-ms-date;"
                         f"host;x-ms-content-sha256&Signature={expected.decode()}",
                         "content_hash_ok": request.headers["x-ms-content-sha256"]
                         == base64.b64encode(hashlib.sha256(body).digest()).decode()})
        if status != 202:
            return JSONResponse({"error": {"code": "Denied", "message": "Denied by the resource provider."}},
                                status_code=status)
        operation = request.headers.get("operation-id") or str(uuid.uuid4())
        location = f"http://{host}/emails/operations/{operation}?api-version={request.query_params['api-version']}"
        return JSONResponse({"id": operation, "status": "Running"}, status_code=202,
                            headers={"Operation-Location": location, "Retry-After": "0"})

    async def operation(request: Request) -> JSONResponse:
        failed = {"code": "EmailDroppedAllRecipientsSuppressed", "message": "suppressed"}
        return JSONResponse({"id": request.path_params["id"], "status": outcome,
                             "error": failed if outcome == "Failed" else None})

    return [Route("/emails:send", send, methods=["POST"]), Route("/emails/operations/{id}", operation)]


def acs(base_url: str) -> AcsSender:
    return AcsSender(Settings(EMAIL_PROVIDER="acs",
                              ACS_EMAIL_CONNECTION_STRING=f"endpoint={base_url}/;accesskey={ACS_KEY}"),
                     poll_seconds=0.01)


async def test_acs_sends_a_signed_request_with_the_idempotency_key_as_operation_id() -> None:
    requests: list[dict[str, Any]] = []
    with serving(acs_service(requests)) as base_url:
        sent_id = await acs(base_url).send(EMAIL)
    operation = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mail:{EMAIL.idempotency_key}"))
    assert sent_id == operation
    assert requests == [{"query": {"api-version": "2025-09-01"}, "operation_id": operation, "json": {
        "senderAddress": EMAIL.sender, "recipients": {"to": [{"address": EMAIL.to}]},
        "content": {"subject": EMAIL.subject, "plainText": EMAIL.body}}, "signature_ok": True,
        "content_hash_ok": True}]


@pytest.mark.parametrize(("outcome", "status", "said"), [
    ("Failed", 202, "could not deliver"), ("Succeeded", 401, "refused our credentials"),
    ("Succeeded", 429, "busy")])
async def test_acs_failures_become_sentences(outcome: str, status: int, said: str) -> None:
    with serving(acs_service([], outcome, status)) as base_url, pytest.raises(EmailNotSentError, match=said):
        await acs(base_url).send(EMAIL)


# --- A Logic Apps workflow with an HTTP request trigger ------------------------------------------------
# As the "When a HTTP request is received" trigger takes it (learn.microsoft.com/azure/connectors/
# connectors-native-reqres): a POST of JSON to the trigger's callback URL, which carries its SAS
# (`api-version`, `sp`, `sv`, `sig`); a Response action answers 202 with the run id in x-ms-workflow-run-id.
def logic_app(requests: list[dict[str, Any]], status: int = 202) -> list[Route]:
    async def trigger(request: Request) -> Response:
        requests.append({"query": dict(request.query_params), "key": request.headers.get("idempotency-key"),
                         "json": await request.json()})
        if status != 202:
            return JSONResponse({"error": {"code": "ServiceUnavailable"}}, status_code=status)
        return Response(status_code=202, headers={"x-ms-workflow-run-id": "08584"})

    return [Route("/workflows/send-mail/triggers/manual/paths/invoke", trigger, methods=["POST"])]


def workflow(base_url: str) -> WorkflowSender:
    return WorkflowSender(Settings(EMAIL_PROVIDER="workflow", EMAIL_WORKFLOW_URL=(
        f"{base_url}/workflows/send-mail/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers"
        "%2Fmanual%2Frun&sv=1.0&sig=signature")))


async def test_the_workflow_gets_the_message_and_its_idempotency_key() -> None:
    requests: list[dict[str, Any]] = []
    with serving(logic_app(requests)) as base_url:
        assert await workflow(base_url).send(EMAIL) == "08584"
    assert requests == [{"query": {"api-version": "2016-10-01", "sp": "/triggers/manual/run", "sv": "1.0",
                                   "sig": "signature"}, "key": EMAIL.idempotency_key, "json": {
        "id": EMAIL.idempotency_key, "from": EMAIL.sender, "to": EMAIL.to, "subject": EMAIL.subject,
        "body": EMAIL.body}}]


async def test_a_failing_workflow_becomes_a_sentence() -> None:
    with serving(logic_app([], 503)) as base_url, pytest.raises(EmailNotSentError, match="not answering"):
        await workflow(base_url).send(EMAIL)


# --- SMTP and the local SMTP server ------------------------------------------------------------------
def smtp_settings(stack: Endpoints, **changes: str) -> Settings:
    return Settings(**{**stack.as_settings(), "EMAIL_SENDER": "agents@contoso-outdoor.example", **changes})


def arrivals(items: list[dict[str, Any]], email: OutgoingEmail) -> list[dict[str, Any]]:
    return [m for m in items if m["message_id"] == f"<{email.idempotency_key}@contoso-outdoor.example>"]


async def test_an_email_sent_twice_arrives_once_and_the_smtp_server_shows_it_as_received(stack: Endpoints) -> None:
    settings = smtp_settings(stack)
    email = OutgoingEmail(**{**EMAIL.__dict__, "idempotency_key": f"mail-{uuid.uuid4().hex[:16]}"})
    first = await deliver(settings, email)
    again = await deliver(settings, email)  # the side effect's activity, run again after a crash
    assert again == first and first["provider"] == "smtp"
    received = arrivals(await outbox(settings, 100), email)
    assert [(m["from"], m["to"], m["subject"], m["body"]) for m in received] == [
        (email.sender, email.to, email.subject, email.body)]
    await SmtpSender(settings).send(email)  # without the record, the server would get it twice: it keeps repeats
    assert len(arrivals(await outbox(settings, 100), email)) == 2


async def test_smtp_that_does_not_answer_is_a_sentence_and_health_says_so(stack: Endpoints) -> None:
    with __import__("socket").socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = str(closed.getsockname()[1])  # bound, never listening: connections are refused
        settings = smtp_settings(stack, SMTP_PORT=port)
        with pytest.raises(EmailNotSentError, match="not answering"):
            await SmtpSender(settings).send(EMAIL)
        health = await run_check("email", settings)
    assert health.status == "down" and health.detail.startswith("smtp: ")
    assert (await run_check("email", smtp_settings(stack))).status == "up"


def test_a_password_never_goes_in_clear_to_a_remote_smtp_server() -> None:
    with pytest.raises(ValueError, match="in clear"):
        SmtpSender(Settings(SMTP_HOST="smtp.example.com", SMTP_USERNAME="u", SMTP_PASSWORD="p"))


def test_the_local_smtp_server_listens_on_loopback_only() -> None:
    refused = subprocess.run([sys.executable, "-m", "local.smtp", "--host", "0.0.0.0", "--port", "2525"],
                             capture_output=True, text=True, timeout=30, check=False)
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


def test_the_local_smtp_server_stops_when_its_port_is_taken(stack: Endpoints) -> None:
    taken = subprocess.run([sys.executable, "-m", "local.smtp", "--port", str(stack.smtp_port)],
                           capture_output=True, text=True, timeout=30, check=False,
                           env={"AzureWebJobsStorage": stack.storage_connection_string, "PATH": ""})
    assert taken.returncode == 1 and f"cannot listen on 127.0.0.1:{stack.smtp_port}" in taken.stderr
