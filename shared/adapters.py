"""The one place where settings choose the web search and email adapters."""

from __future__ import annotations

from shared.data.access import BusinessData
from shared.mail.port import EmailSender
from shared.settings import Settings
from shared.websearch.port import WebSearch


def web_search(settings: Settings, data: BusinessData | None = None) -> WebSearch:
    """`data` is what the offline stand-in searches (the company's pages); the real providers need none."""
    if settings.web_search_provider == "bing_agent":
        from shared.websearch.bing_agent import BingGroundedAgent

        return BingGroundedAgent(settings)
    if settings.web_search_provider == "brave":
        from shared.websearch.brave import BraveSearch

        return BraveSearch(settings)
    from shared.websearch.offline import CompanyPagesSearch

    if data is None:
        raise ValueError("the offline web search needs the business data")
    return CompanyPagesSearch(settings, data)


def email_sender(settings: Settings) -> EmailSender:
    if settings.email_provider == "acs":
        from shared.mail.acs import AcsSender

        return AcsSender(settings)
    if settings.email_provider == "workflow":
        from shared.mail.workflow import WorkflowSender

        return WorkflowSender(settings)
    from shared.mail.smtp import SmtpSender

    return SmtpSender(settings)
