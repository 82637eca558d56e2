"""SMTP: any mail server, and offline the local stack's own SMTP server on loopback.

The Message-ID is made from the idempotency key, so a receiver (and the local server's outbox)
can tell a repeated message from a new one.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from shared.mail.port import EmailNotSentError, OutgoingEmail
from shared.settings import LOOPBACK_HOSTS, Settings


def message_id(email: OutgoingEmail) -> str:
    return f"<{email.idempotency_key}@{email.sender.rsplit('@', 1)[-1]}>"


class SmtpSender:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        if settings.smtp_password and not settings.smtp_starttls and settings.smtp_host not in LOOPBACK_HOSTS:
            raise ValueError("SMTP_PASSWORD is set for a remote SMTP_HOST without SMTP_STARTTLS: refused, "
                             "the password would cross the network in clear")

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        server = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.dependency_timeout_seconds)
        try:
            if s.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                server.login(s.smtp_username, s.smtp_password)
        except Exception:
            server.close()
            raise
        return server

    def _send_now(self, email: OutgoingEmail) -> str:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = email.sender, email.to, email.subject
        message["Date"], message["Message-ID"] = formatdate(usegmt=True), message_id(email)
        message.set_content(email.body)
        try:
            with self._connect() as server:
                server.send_message(message)
        except smtplib.SMTPAuthenticationError:
            raise EmailNotSentError("the email service (smtp) refused our credentials") from None
        except smtplib.SMTPRecipientsRefused:
            raise EmailNotSentError("the email service (smtp) refused the address on file") from None
        except (smtplib.SMTPException, OSError):
            raise EmailNotSentError("the email service (smtp) is not answering right now") from None
        return message["Message-ID"]

    async def send(self, email: OutgoingEmail) -> str:
        return await asyncio.to_thread(self._send_now, email)

    def _probe_now(self) -> str:
        with self._connect() as server:
            code, _ = server.noop()
        return f"smtp at {self._settings.smtp_host}:{self._settings.smtp_port}: answers ({code})"

    async def probe(self) -> str:
        return await asyncio.to_thread(self._probe_now)
