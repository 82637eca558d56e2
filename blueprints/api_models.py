"""The bodies the HTTP API answers with: the routes build their answers with these models, and the
OpenAPI document (blueprints/openapi.py) is made of the same models, so the two cannot drift apart.

Loaded on the first request that needs it, never at cold start.
"""
# ruff: noqa: N815 -- the run links keep the Durable extension's camelCase wire names

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from shared.conversation.text_chat import ChatReply
from shared.data.company import CompanyRecord, RunStatus
from shared.data.models import Customer, Product
from shared.diagnostics.checks import DependencyReport
from shared.knowledge.documents import DocumentState, DocumentStatus
from shared.knowledge.index import Hit
from shared.tools.registry import ToolResult

__all__ = ["ChatReply", "ToolResult"]  # the client routes' answers, defined with their domain


class FieldProblem(BaseModel):
    field: str
    problem: str


class ErrorBody(BaseModel):
    """Every refusal: `error` says what was wrong; `fields` names bad fields when there are any."""

    error: str
    fields: list[FieldProblem] = []


class KindTotals(BaseModel):
    stored: int
    skipped: int


# The company record as the API shows it (CompanyRecord.as_seen): totals per kind instead of per batch.
CompanyView = create_model(
    "CompanyView", __config__=ConfigDict(extra="forbid"),
    **{name: (info.annotation, info) for name, info in CompanyRecord.model_fields.items() if name != "batches"},
    totals=(dict[str, KindTotals], ...))


class RunStarted(BaseModel):
    id: str
    statusUri: str


class OrchestrationView(BaseModel):
    """A Durable run as an admin sees it: state, progress (its custom status) and result."""

    id: str
    runtimeStatus: str | None
    progress: Any = None
    result: Any = None
    createdTime: datetime | None
    lastUpdatedTime: datetime | None

    @classmethod
    def of(cls, status: Any) -> OrchestrationView:
        return cls(id=status.instance_id,
                   runtimeStatus=status.runtime_status.value if status.runtime_status else None,
                   progress=status.custom_status, result=status.output, createdTime=status.created_time,
                   lastUpdatedTime=status.last_updated_time)


class CheckStatusLinks(BaseModel):
    """The Durable extension's check-status answer: the run's id and its management URLs."""

    model_config = ConfigDict(extra="allow")

    id: str
    statusQueryGetUri: str
    sendEventPostUri: str
    terminatePostUri: str
    purgeHistoryDeleteUri: str


class Cancelling(BaseModel):
    id: str
    cancelling: bool


class CustomerPage(BaseModel):
    items: list[Customer]
    continuation: str | None


class CustomerDeleted(BaseModel):
    deleted: str
    purchases: int
    conversations: int


class ProductList(BaseModel):
    items: list[Product]


class DashboardCompany(BaseModel):
    name: str
    industry: str
    status: RunStatus
    totals: dict[str, KindTotals]


class DashboardFigures(BaseModel):
    """Conversations counted by topic, product, agent, sentiment, outcome and day."""

    conversations: int
    by_topic: dict[str, int]
    by_product: dict[str, int]
    by_agent: dict[str, int]
    by_sentiment: dict[str, int]
    by_outcome: dict[str, int]
    by_day: dict[str, int]


class Dashboard(DashboardFigures):
    company: DashboardCompany | None


class Outbox(BaseModel):
    items: list[dict[str, Any]]


class DocumentUploaded(BaseModel):
    name: str
    state: Literal[DocumentState.UPLOADED]
    statusUri: str


class DocumentList(BaseModel):
    items: list[DocumentStatus]


class DocumentDeleted(BaseModel):
    deleted: str
    chunks: int


class SearchAnswer(BaseModel):
    query: str
    hits: list[Hit]


class Health(BaseModel):
    status: Literal["healthy", "unhealthy"]
    mode: str
    dependencies: dict[str, DependencyReport]


# The client routes (sessions, tools, chat), as the key and route contract gives them.
SessionId = Annotated[str, StringConstraints(pattern=r"^ses-[0-9a-f]{32}$")]


class SessionOpened(BaseModel):
    session_id: SessionId
    token: str
    customer_id: str
    first_name: str
    conversation: str | None
    verified: bool
    expires_at: datetime


class SessionEnded(BaseModel):
    session_id: SessionId
    conversation: str | None


class CallbacksAccepted(BaseModel):
    accepted: list[str]
    ignored: list[str]


class CallSession(BaseModel):
    session_id: SessionId
    token: str
    customer_id: str
    first_name: str
    verified: bool
    conversation: str
    facts: dict[str, Any]  # {"company": name, "customer": profile}: what the agents' instructions are filled with


class CallerTurn(BaseModel):
    caller_turn: int


class TranscriptKept(BaseModel):
    kept: int
    turns: int


class DroppedProposals(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposal_ids: list[Annotated[str, StringConstraints(pattern=r"^prop-[0-9a-f]{16}$")]] = Field(max_length=50)


class ProposalsDropped(BaseModel):
    dropped: int


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def dump(model: BaseModel) -> dict[str, Any]:
    """A model as the JSON body of an answer."""
    return model.model_dump(mode="json")
