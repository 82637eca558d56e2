"""Imports what Azure runs, in a venv holding requirements.txt alone: `make deploy-check` runs it.

The test venv has the local-only packages too, so a module that needs one of them at import time
passes every test here and fails in Azure. Run from the repository root with the deploy venv's python.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The entry points Azure loads, and what a turn of chat imports on its first use.
EXPLICIT = (
    "function_app",
    "shared.conversation.text_chat",
    "shared.agents.offline_brain",
    "shared.agents.llm_brain",
    "shared.conversation.summary",
    "text_to_num",  # the offline brain imports these two on its first turn
    "rapidfuzz",
    "azure.communication.callautomation",  # the first phone call imports it
    "shared.credentials",
    "azure.identity.aio",  # where a key is empty
    "shared.telemetry",
    "azure.monitor.opentelemetry",  # TELEMETRY_EXPORTER=azure_monitor, what the template sets
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
)


def modules() -> list[str]:
    found = [f"blueprints.{p.stem}" for p in sorted((ROOT / "blueprints").glob("*.py")) if p.stem != "__init__"]
    # The tools, and the adapters they import only when a setting chooses one.
    for package in ("tools", "websearch", "mail"):
        found += [f"shared.{package}.{p.stem}" for p in sorted((ROOT / "shared" / package).glob("*.py"))
                  if p.stem != "__init__"]
    return [*EXPLICIT, *found]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    failed = []
    for name in modules():
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
            print(f"FAIL {name}\n{traceback.format_exc(limit=-1)}", file=sys.stderr)
    if failed:
        print(f"deploy check: {len(failed)} of {len(modules())} modules do not import with requirements.txt alone")
        return 1
    print(f"deploy check: all {len(modules())} modules import with requirements.txt alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
