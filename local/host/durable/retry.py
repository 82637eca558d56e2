"""Retry options of `call_*_with_retry`, read and applied as the Durable extension's RetryOptions are.

The Python SDK 1.7.0 sends only the first two fields; the others are honoured when an app's options
send them (the extension's names, in milliseconds), with the extension's defaults otherwise.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    first_interval_ms: float
    max_attempts: int
    backoff: float = 1.0
    max_interval_ms: float = math.inf
    timeout_ms: float = math.inf

    @classmethod
    def parse(cls, options: dict[str, object]) -> RetryPolicy:
        """The policy of an action's `retryOptions`; ValueError says which field is wrong."""
        def number(key: str, default: float | None = None) -> float:
            value = options.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"retryOptions.{key} must be a number, got {value!r}")
            return float(value)

        policy = cls(number("firstRetryIntervalInMilliseconds"), int(number("maxNumberOfAttempts")),
                     number("backoffCoefficient", 1.0), number("maxRetryIntervalInMilliseconds", math.inf),
                     number("retryTimeoutInMilliseconds", math.inf))
        if policy.first_interval_ms <= 0:
            raise ValueError("retryOptions.firstRetryIntervalInMilliseconds must be greater than 0")
        return policy

    @classmethod
    def loads(cls, text: str) -> RetryPolicy:
        return cls.parse(json.loads(text))

    def delay(self, failed_attempt: int) -> timedelta:
        """The wait after attempt `failed_attempt` (1-based): first * backoff ** (n - 1), capped."""
        ms = min(self.first_interval_ms * self.backoff ** (failed_attempt - 1), self.max_interval_ms)
        return timedelta(milliseconds=ms)

    def expired(self, first_at: datetime, now: datetime) -> bool:
        return math.isfinite(self.timeout_ms) and now >= first_at + timedelta(milliseconds=self.timeout_ms)
