"""Is each dependency reachable and working? Used by /api/health and the diagnostics orchestration."""

from shared.diagnostics.checks import CHECKS, DependencyReport, Status, run_check

__all__ = ["CHECKS", "DependencyReport", "Status", "run_check"]
