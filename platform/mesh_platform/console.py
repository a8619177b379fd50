"""Terminal output: tables and notes through rich, readable in a terminal and in CI logs alike."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=1)
def console():
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 140, highlight=False)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                numeric_from: int | None = None) -> None:
    """A table; columns from index `numeric_from` on are right-aligned numbers."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for index, header in enumerate(headers):
        numeric = numeric_from is not None and index >= numeric_from
        table.add_column(header, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    console().print(table)


def say(text: str = "") -> None:
    console().print(text, markup=False, soft_wrap=True)


def say_progress(text: str) -> None:
    """A progress line, flushed at once so CI logs show it live."""
    print(text, flush=True)
