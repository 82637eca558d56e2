"""Summaries of dependency reports, shared by the health probe and the diagnostics run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shared.diagnostics.checks import DependencyReport, Status


def summarize(reports: Iterable[DependencyReport], mode: str) -> dict[str, Any]:
    """Healthy unless something configured is down; absent features do not make the app unhealthy."""
    by_name = {report.name: report.model_dump(mode="json") for report in reports}
    healthy = all(report["status"] != Status.DOWN for report in by_name.values())
    return {"status": "healthy" if healthy else "unhealthy", "mode": mode, "dependencies": by_name}
