"""Run a command in a fresh process; report its wall time and peak memory (max RSS of the process tree)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
print(json.dumps({"seconds": time.perf_counter() - start, "code": code,
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mb: float
    exit_code: int


def measure(command: list[str], cwd: Path) -> Measurement:
    """Time `command` (run in `cwd`, output discarded) in a new interpreter, so peak memory is its own."""
    result = subprocess.run([sys.executable, "-c", _WRAPPER, str(cwd), *command], capture_output=True, text=True,
                            check=True)
    data = json.loads(result.stdout)
    return Measurement(data["seconds"], data["peak_kb"] / 1024, data["code"])
