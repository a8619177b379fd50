"""The baseline: violations recorded on a day, so a project adopts the rules and only new ones fail."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..errors import MeshError
from ..files import write_text_atomically
from .registry import Violation


def read_baseline(path: Path) -> set[str]:
    """The violation keys recorded in the baseline file (none when there is no file)."""
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["key"] for entry in data["violations"]}
    except (json.JSONDecodeError, KeyError, TypeError):
        raise MeshError(f"{path.name} is not a baseline written by `mesh check --write-baseline`; "
                        f"write it again") from None


def write_baseline(path: Path, violations: Iterable[Violation]) -> int:
    """Record the violations (whole file replaced atomically); return how many."""
    entries = sorted(({"key": v.key, "rule": v.code, "node": v.node, "message": v.message} for v in violations),
                     key=lambda entry: entry["key"])
    unique = list({entry["key"]: entry for entry in entries}.values())
    write_text_atomically(path, json.dumps({"generated_by": "mesh check --write-baseline", "violations": unique},
                                           indent=2) + "\n")
    return len(unique)
