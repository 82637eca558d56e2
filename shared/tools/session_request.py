"""What opening a session asks for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from shared.data.models import Id, Phone


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["phone", "chat"]
    phone: Phone | None = None
    customer_id: Id | None = None

    @model_validator(mode="after")
    def one_identity(self) -> SessionRequest:
        if (self.phone is None) == (self.customer_id is None):
            raise ValueError("give exactly one of phone and customer_id")
        return self
