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
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): such a cell is stored
# with a single quote in front (OWASP's advice), which the spreadsheet shows as text and read_log takes off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def as_cell(value: object) -> object:
    """A text cell as stored: neutralised when a spreadsheet would run it, or when it starts with the quote
    (so that reading it back is exact); anything else as it is."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def from_cell(text: str) -> str:
    """The text as typed, from its stored cell (as_cell undone)."""
    return text[1:] if text.startswith(QUOTE) else text


def read_log(root: Path) -> list[OwnershipChange]:
    """The log's rows in file order; none when there is no log. A malformed log is one MeshError."""
    path = root / LOG_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as file:  # a carriage return inside a cell stays one
        rows = list(csv.DictReader(file))
    changes = []
    for number, row in enumerate(rows, start=2):
        try:
            dt.date.fromisoformat(row["date"])
            changes.append(OwnershipChange(row["date"], from_cell(row["model"]), from_cell(row["new_name"]),
                                           from_cell(row["from_domain"]), from_cell(row["to_domain"]),
                                           int(row["sql_lines"]), from_cell(row["reason"])))
        except (KeyError, TypeError, ValueError):
            raise MeshError(f"{LOG_FILE} line {number} is not a valid row ({', '.join(COLUMNS)}); fix or "
                            f"restore it from git") from None
    return changes


def with_changes(root: Path, changes: list[OwnershipChange]) -> str:
    """The log's text with `changes` appended (a header first when the log is new)."""
    path = root / LOG_FILE
    existing = ""
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as file:  # the rows as stored, carriage returns kept
            existing = file.read()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not existing:
        writer.writerow(COLUMNS)
    elif not existing.endswith("\n"):
        out.write("\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # csv leaves a lone \r unquoted
    for change in changes:
        row = [as_cell(value) for value in astuple(change)]
        (quoted if any("\r" in str(value) for value in row) else writer).writerow(row)
    return existing + out.getvalue()


def sql_lines(sql: str) -> int:
    return sum(1 for line in sql.splitlines() if line.strip())
