"""The baseline: violations recorded on a day, so a project adopts the rules and only new ones fail."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..errors import MeshError
from ..files import write_text_atomically
from .registry import Violation


def read_entries(path: Path) -> list[dict]:
    """The entries recorded in the baseline file, as written (none when there is no file)."""
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["violations"]
        if not all(isinstance(entry["key"], str) for entry in entries):
            raise TypeError
        return list(entries)
    except (json.JSONDecodeError, KeyError, TypeError):
        raise MeshError(f"{path.name} is not a baseline written by `mesh check --write-baseline`; "
                        f"write it again") from None


def read_baseline(path: Path) -> set[str]:
    """The violation keys recorded in the baseline file (none when there is no file)."""
    return {entry["key"] for entry in read_entries(path)}


def entry(violation: Violation) -> dict:
    return {"key": violation.key, "rule": violation.code, "node": violation.node, "message": violation.message}


def write_entries(path: Path, entries: Iterable[dict]) -> int:
    """Record the entries, one per key, sorted (whole file replaced atomically); return how many."""
    unique = sorted({item["key"]: item for item in entries}.values(), key=lambda item: item["key"])
    write_text_atomically(path, json.dumps({"generated_by": "mesh check --write-baseline", "violations": unique},
                                           indent=2) + "\n")
    return len(unique)


def write_baseline(path: Path, violations: Iterable[Violation]) -> int:
    """Record the violations (whole file replaced atomically); return how many."""
    return write_entries(path, sorted((entry(v) for v in violations), key=lambda item: item["key"]))
