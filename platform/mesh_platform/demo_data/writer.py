"""Write simulated raw tables as dbt seeds: `seeds/<domain>/<source>__<table>.csv`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..files import write_text_atomically
from .story import Tables


def seed_path(seeds_dir: Path, domain: str, source: str, table: str) -> Path:
    return seeds_dir / domain / f"{source}__{table}.csv"


def write_seeds(tables: Tables, seeds_dir: Path) -> list[Path]:
    """Write every table as CSV (each file replaced whole, never half-written) and return the paths."""
    written = []
    for (domain, source, table), rows in sorted(tables.rows.items()):
        path = seed_path(seeds_dir, domain, source, table)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_text_atomically(path, buffer.getvalue())
        written.append(path)
    return written
