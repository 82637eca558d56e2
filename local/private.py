"""Files only their owner may read: local.settings.json (it holds keys) and every log we write.

Folders are made 0700 only when we create them, so pointing a log at /tmp never changes /tmp.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Creates `path` and any missing parents as 0700; leaves existing folders as they are."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def own_dir(path: Path) -> Path:
    """A folder that is ours by name (`.local/host`): created if missing, made 0700 in any case."""
    private_dir(path)
    os.chmod(path, DIR_MODE)
    return path


def open_private_log(path: Path) -> BinaryIO:
    """`path` opened for appending, 0600 whether new or left by an older version."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return os.fdopen(descriptor, "ab")


def write_private(path: Path, text: str) -> None:
    """Replaces `path` with `text`, never readable by others, not even for a moment."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
