"""Creates local.settings.json from the sample, with fresh random keys: `python -m local.settings_file`.

Idempotent: an existing file keeps its values; only settings the sample gained since are added
and empty keys are filled. The file holds keys, so only its owner may read it (0600).
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

from local.private import write_private

HOST_KEYS = ("FunctionKey", "MasterKey")
# App settings that are secrets of this installation, generated like the host keys.
GENERATED_VALUES = ("SERVICE_KEY", "CALL_TOKEN_KEY", "MEDIA_ADMIN_KEY")


def ensure(sample: Path, target: Path) -> dict:
    wanted = json.loads(sample.read_text(encoding="utf-8"))
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    for section in ("Values", "Host"):
        current[section] = {**wanted.get(section, {}), **current.get(section, {})}
    for section, names in (("Host", HOST_KEYS), ("Values", GENERATED_VALUES)):
        for name in names:
            current[section][name] = current[section].get(name) or secrets.token_urlsafe(32)
    current.setdefault("IsEncrypted", False)
    write_private(target, json.dumps(current, indent=2) + "\n")
    return current


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    ensure(root / "local.settings.sample.json", root / "local.settings.json")
    print(f"{root / 'local.settings.json'} is ready")
