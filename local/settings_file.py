"""Creates local.settings.json from the sample, with fresh random keys: `python -m local.settings_file`.

Idempotent: an existing file keeps its values; only settings the sample gained since are added
and empty keys are filled.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

KEYS = ("FunctionKey", "MasterKey")


def ensure(sample: Path, target: Path) -> dict:
    wanted = json.loads(sample.read_text(encoding="utf-8"))
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    for section in ("Values", "Host"):
        current[section] = {**wanted.get(section, {}), **current.get(section, {})}
    for key in KEYS:
        current["Host"][key] = current["Host"].get(key) or secrets.token_urlsafe(32)
    current["Values"]["SERVICE_KEY"] = current["Values"].get("SERVICE_KEY") or secrets.token_urlsafe(32)
    current.setdefault("IsEncrypted", False)
    target.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return current


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    ensure(root / "local.settings.sample.json", root / "local.settings.json")
    print(f"{root / 'local.settings.json'} is ready")
