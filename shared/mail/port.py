"""What every email adapter is given and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingEmail:
    idempotency_key: str  # the same confirmed tool call always carries the same key
    sender: str
    to: str
    subject: str
    body: str


class EmailNotSentError(Exception):
    """The provider failed or refused: the message is a sentence the agent can say."""


class EmailSender(Protocol):
    name: str

    async def send(self, email: OutgoingEmail) -> str:
        """Hands the message over; returns the provider's id for it."""
        ...

    async def probe(self) -> str:
        """Proves the provider answers (raises if not); returns a short description for /api/health."""
        ...


def refusal(provider: str, status: int) -> EmailNotSentError:
    if status in (401, 403):
        return EmailNotSentError(f"the email service ({provider}) refused our credentials")
    if status == 429:
        return EmailNotSentError(f"the email service ({provider}) is busy; I will need to try again later")
    if 400 <= status < 500:
        return EmailNotSentError(f"the email service ({provider}) did not accept the message")
    return EmailNotSentError(f"the email service ({provider}) is not answering right now")
