"""The deployment package: .funcignore's gitignore rules applied to the tracked files, as `func publish` does."""

from __future__ import annotations

import subprocess

from pathspec import GitIgnoreSpec

from tests.hosting import ROOT


def excluded() -> GitIgnoreSpec:
    return GitIgnoreSpec.from_lines((ROOT / ".funcignore").read_text().splitlines())


def package() -> set[str]:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return {path for path in tracked.decode().split("\0") if path and not excluded().match_file(path)}


def test_the_package_holds_the_app_and_nothing_local() -> None:
    files = package()
    assert {"function_app.py", "host.json", "requirements.txt"} <= files
    tracked = subprocess.run(["git", "ls-files", "blueprints", "shared"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert tracked and set(tracked) <= files  # every file of the app's code, YAML definitions included
    assert any(path.startswith("shared/agents/definitions/") for path in files)
    for folder in ("local/", "tests/", "bench/", "infra/", ".ci/"):
        assert not any(path.startswith(folder) for path in files), folder
    assert not {"local.settings.sample.json", "requirements-local.txt", "Makefile"} & files


def test_what_a_checkout_holds_beside_the_tracked_files_stays_out() -> None:
    for path in (".venv/lib/python3.11/site-packages/x.py", ".local/host/host.log", "local.settings.json",
                 "local/stack/node/node_modules/azurite/package.json", "web/node_modules/react/index.js",
                 "web/src/App.tsx", "shared/__pycache__/settings.cpython-311.pyc", ".git/HEAD"):
        assert excluded().match_file(path), path
