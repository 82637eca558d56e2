"""Importing the app stays light: callers hear rings while Python imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("azure.cosmos", "azure.storage.blob", "openai", "faker", "pydantic", "pydantic_settings")


def test_importing_the_app_loads_no_client_library() -> None:
    probe = f"import sys, function_app; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True)
    assert loaded.stdout.strip() == ""
