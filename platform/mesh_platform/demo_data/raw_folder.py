"""A folder of generated raw data: written beside its destination, then moved into place whole.

The folder carries a marker file naming what wrote it (scale, seed, rows per table), so regenerating
replaces only a folder this generator wrote, never one holding anything else; a run that fails or is
interrupted leaves the earlier data as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import MeshError
from .scaled import Progress, Written, generate_parquet

MARKER = "_mesh_demo_data.json"


def write_raw_data(raw_dir: Path, scale: int, seed: int = 20250101,
                   progress: Progress = lambda step, done: None) -> list[Written]:
    """Generate scale `scale` into `raw_dir`, replacing earlier generated data there."""
    raw_dir = raw_dir.resolve()
    if raw_dir.exists() and not (raw_dir.is_dir() and (not any(raw_dir.iterdir()) or (raw_dir / MARKER).is_file())):
        raise MeshError(f"{raw_dir} exists and was not written by `mesh demo-data`; give an empty or new folder")
    staging = raw_dir.with_name(f".{raw_dir.name}.{os.getpid()}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        written = generate_parquet(staging / "data", scale, seed, work_dir=staging / "spill", progress=progress)
        (staging / "data" / MARKER).write_text(json.dumps({
            "generator": "mesh demo-data", "scale": scale, "seed": seed,
            "tables": {f"{w.table.schema}/{w.table.identifier}": w.rows for w in written},
        }, indent=2) + "\n", encoding="utf-8")
        raw_dir.parent.mkdir(parents=True, exist_ok=True)
        if raw_dir.exists():
            old = staging / "old"
            raw_dir.rename(old)
        (staging / "data").rename(raw_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def generated_by(raw_dir: Path) -> dict | None:
    """What the marker in `raw_dir` says (scale, seed, rows per table), or None when there is none."""
    marker = raw_dir / MARKER
    return json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else None
