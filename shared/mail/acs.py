"""Azure Communication Services Email through its SDK (`azure-communication-email`).

`begin_send` posts `/emails:send` signed with the resource's access key (HMAC-SHA256) and polls
the operation it starts until it has succeeded. The idempotency key becomes the `Operation-Id`,
which the service uses to recognise a repeated send.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from shared.mail.port import EmailNotSentError, OutgoingEmail, refusal
from shared.settings import Settings

if TYPE_CHECKING:
    from azure.communication.email.aio import EmailClient

POLL_SECONDS = 1.0


class AcsSender:
    name = "acs"

    def __init__(self, settings: Settings, poll_seconds: float = POLL_SECONDS) -> None:
        self._connection, self._timeout = settings.acs_email_connection_string, settings.dependency_timeout_seconds
        self._poll = poll_seconds

    def _client(self) -> EmailClient:
        from azure.communication.email.aio import EmailClient
        from azure.core.credentials import AzureKeyCredential

        # Parsed here rather than by EmailClient.from_connection_string, which forces https on the
        # endpoint: the connection string's own scheme is kept (https in Azure, http for a local stub).
        fields = {k.lower(): v for k, _, v in (p.partition("=") for p in self._connection.split(";") if p)}
        if not (fields.get("endpoint") and fields.get("accesskey")):
            raise EmailNotSentError("the email service (acs) is not set up: ACS_EMAIL_CONNECTION_STRING needs "
                                    "endpoint= and accesskey=")
        return EmailClient(fields["endpoint"], AzureKeyCredential(fields["accesskey"]),
                           connection_timeout=self._timeout, read_timeout=self._timeout)

    async def send(self, email: OutgoingEmail) -> str:
        from azure.core.exceptions import HttpResponseError

        message = {"senderAddress": email.sender, "recipients": {"to": [{"address": email.to}]},
                   "content": {"subject": email.subject, "plainText": email.body}}
        # The service wants a GUID: the same key always gives the same one.
        operation = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mail:{email.idempotency_key}"))
        try:
            async with self._client() as client:
                poller = await client.begin_send(message, operation_id=operation, polling_interval=self._poll)
                result = await poller.result()
        except HttpResponseError as error:
            if (error.status_code or 0) < 400:  # the poller's way of saying the operation ended Failed
                raise EmailNotSentError("the email service (acs) could not deliver the message") from None
            raise refusal(self.name, error.status_code or 500) from None
        if (result or {}).get("status") != "Succeeded":
            raise EmailNotSentError("the email service (acs) could not deliver the message")
        return result["id"]

    async def probe(self) -> str:
        import aiohttp

        endpoint = self._connection.removeprefix("endpoint=").split(";")[0].rstrip("/")
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http, http.get(
                endpoint) as answer:
            if answer.status >= 500:
                raise refusal(self.name, answer.status)
        return f"acs at {endpoint}: answers (HTTP {answer.status})"
