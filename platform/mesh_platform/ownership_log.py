"""The ownership log (`ownership-log.csv` at the project root): every change of a model's owning domain.

One row per model and move, appended, never rewritten: when, which model (and its new name), from which
domain to which, its SQL lines at the time, and why. `mesh adopt` writes the first rows (the monolith's
models entering `legacy`), `mesh handover` one row per model handed over; `mesh legacy status` reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from .errors import MeshError

LOG_FILE = "ownership-log.csv"
ADOPTED_FROM = "(monolith)"  # from_domain of the rows `mesh adopt` writes


@dataclass(frozen=True)
class OwnershipChange:
    date: str  # ISO date, e.g. 2026-11-23
    model: str
    new_name: str  # the model's name after the move (the same unless renamed)
    from_domain: str
    to_domain: str
    sql_lines: int  # non-blank lines of the model's SQL when it moved
    reason: str


COLUMNS = [field.name for field in fields(OwnershipChange)]


def read_log(root: Path) -> list[OwnershipChange]:
    """The log's rows in file order; none when there is no log. A malformed log is one MeshError."""
    path = root / LOG_FILE
    if not path.is_file():
        return []
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    changes = []
    for number, row in enumerate(rows, start=2):
        try:
            dt.date.fromisoformat(row["date"])
            changes.append(OwnershipChange(row["date"], row["model"], row["new_name"], row["from_domain"],
                                           row["to_domain"], int(row["sql_lines"]), row["reason"]))
        except (KeyError, TypeError, ValueError):
            raise MeshError(f"{LOG_FILE} line {number} is not a valid row ({', '.join(COLUMNS)}); fix or "
                            f"restore it from git") from None
    return changes


def with_changes(root: Path, changes: list[OwnershipChange]) -> str:
    """The log's text with `changes` appended (a header first when the log is new)."""
    path = root / LOG_FILE
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not existing:
        writer.writerow(COLUMNS)
    elif not existing.endswith("\n"):
        out.write("\n")
    writer.writerows(astuple(change) for change in changes)
    return existing + out.getvalue()


def sql_lines(sql: str) -> int:
    return sum(1 for line in sql.splitlines() if line.strip())
