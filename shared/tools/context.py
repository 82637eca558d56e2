"""What a tool sees: the session it acts for, the data, and the id of this call of the tool."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from shared.data.access import BusinessData
from shared.sessions.model import Session
from shared.sessions.store import Sessions
from shared.settings import Settings
from shared.tools.registry import ReadBack, ToolRefusedError


@dataclass(frozen=True)
class ToolContext:
    session: Session
    data: BusinessData
    settings: Settings
    sessions: Sessions
    call_id: str  # side effects are keyed on it, so a retry never repeats them
    # True only inside a side effect's own durable activity, after the caller confirmed it.
    performing: bool = False

    def own(self, customer_id: str | None) -> str:
        """The session's customer; refuses any other one named in the arguments."""
        if customer_id not in (None, self.session.customer_id):
            raise ToolRefusedError("I can only act for the verified caller of this conversation")
        return self.session.customer_id

    def read_back(self, text: str) -> None:
        """Called by a side-effecting tool once its checks pass and before it changes anything:
        outside the confirmed run this stops the tool and turns `text` into a proposal."""
        if not self.performing:
            raise ReadBack(text)

    @property
    def effect_key(self) -> str:
        """Names what this call writes (an order, an email): the same call always writes the same item."""
        return hashlib.sha256(f"{self.session.id}:{self.call_id}".encode()).hexdigest()[:16]
