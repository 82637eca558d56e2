"""Finds the function app object the way the Python worker does.

The worker imports the script named by the `PYTHON_SCRIPT_FILE_NAME` app setting (default
`function_app.py`) from the app root and takes the one top-level attribute that is a
`FunctionRegister` (a `func.FunctionApp` or `df.DFApp`), whatever its name. `--app module[:attr]`
names another module, and optionally the attribute, instead.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from local.host.config import StartupError

DEFAULT_SCRIPT = "function_app.py"


def load_app(app_root: Path, spec: str | None) -> Any:
    """The app object: from `spec` (`module[:attribute]`) if given, else from the app's script."""
    if spec:
        module_name, _, attribute = spec.partition(":")
        where = f"module {module_name!r} (--app {spec})"
    else:
        script = os.environ.get("PYTHON_SCRIPT_FILE_NAME") or DEFAULT_SCRIPT
        path = app_root / script
        if path.suffix != ".py" or not path.is_file():
            raise StartupError(f"{path} not found: the app's script is PYTHON_SCRIPT_FILE_NAME "
                               f"(default {DEFAULT_SCRIPT}) in the app root, or pass --app module:attribute")
        module_name, attribute, where = path.stem, "", str(path)
    module = _import(module_name, where, app_root)
    if attribute:
        if not hasattr(module, attribute):
            raise StartupError(f"{where}: has no attribute {attribute!r}")
        return getattr(module, attribute)
    return _the_function_app(module, where)


def _import(module_name: str, where: str, app_root: Path) -> ModuleType:
    sys.path.insert(0, str(app_root.resolve()))
    try:
        return importlib.import_module(module_name)
    except Exception as error:
        # The traceback is the user's own code and says where it broke; the first line says what.
        details = "".join(traceback.format_exception(error)).rstrip()
        raise StartupError(f"{where}: failed to import: {type(error).__name__}: {error}\n{details}") from None


def _the_function_app(module: ModuleType, where: str) -> Any:
    from azure.functions import FunctionRegister

    found = [name for name in dir(module) if isinstance(getattr(module, name, None), FunctionRegister)]
    if not found:
        raise StartupError(f"{where}: defines no function app (a top-level func.FunctionApp or df.DFApp)")
    if len(found) > 1:
        raise StartupError(f"{where}: defines more than one function app: {', '.join(found)}")
    return getattr(module, found[0])
