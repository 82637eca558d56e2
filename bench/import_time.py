"""Median wall time of `import function_app` over 5 fresh processes (target: at most 1.0 s).

Cold start answers the phone: callers hear rings while Python imports the app.
Run: .venv/bin/python bench/import_time.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "import time; t = time.perf_counter(); import function_app; print(time.perf_counter() - t)"
RUNS = 5
TARGET_SECONDS = 1.0


def measure() -> list[float]:
    return [
        float(subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout)
        for _ in range(RUNS)
    ]


if __name__ == "__main__":
    timings = measure()
    median = statistics.median(timings)
    print("runs (s): " + ", ".join(f"{t:.3f}" for t in timings))
    print(f"median import of function_app: {median:.3f} s (target <= {TARGET_SECONDS:.1f} s)")
    sys.exit(0 if median <= TARGET_SECONDS else 1)
