"""A Logic Apps workflow with an HTTP request trigger, as the reference product sends email.

The trigger URL carries its own SAS signature (`...?api-version=...&sp=...&sig=...`), so it is
a secret. The workflow takes `{to, from, subject, body, id}` and drops a message whose
`Idempotency-Key` it has seen. It answers 200 or 202 once it has the message.
"""

from __future__ import annotations

from shared.mail.port import EmailNotSentError, OutgoingEmail, refusal
from shared.settings import Settings


class WorkflowSender:
    name = "workflow"

    def __init__(self, settings: Settings) -> None:
        self._url, self._timeout = settings.email_workflow_url, settings.dependency_timeout_seconds

    async def send(self, email: OutgoingEmail) -> str:
        import aiohttp

        if not self._url:
            raise EmailNotSentError("the email service (workflow) is not set up: EMAIL_WORKFLOW_URL is empty")
        body = {"id": email.idempotency_key, "from": email.sender, "to": email.to, "subject": email.subject,
                "body": email.body}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http, http.post(
                self._url, json=body, headers={"Idempotency-Key": email.idempotency_key}) as sent:
            if sent.status not in (200, 202):
                raise refusal(self.name, sent.status)
            return sent.headers.get("x-ms-workflow-run-id", email.idempotency_key)

    async def probe(self) -> str:
        import aiohttp

        # A GET on a POST trigger answers 4xx without running the workflow: enough to prove it is there.
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as http, http.get(
                self._url.split("?")[0]) as answer:
            if answer.status >= 500:
                raise refusal(self.name, answer.status)
        return f"workflow: answers (HTTP {answer.status})"
