"""`python -m local.stack up|down|status [--data-dir DIR] [--free-ports]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from local.stack import Stack


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m local.stack", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--data-dir", type=Path, default=Path(".local/stack"))
    parser.add_argument("--free-ports", action="store_true", help="never the standard emulator ports")
    args = parser.parse_args()
    stack = Stack(args.data_dir)
    if args.command == "down":
        stack.down()
        return 0
    endpoints = stack.up(prefer_standard_ports=not args.free_ports) if args.command == "up" else stack.running(
        args.data_dir)
    if endpoints is None:
        print("the local stack is not running")
        return 1
    print(json.dumps(endpoints.as_settings(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
