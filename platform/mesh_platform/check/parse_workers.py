"""Parse many SQL statements on every CPU: parsing is CPU-bound and holds Python's lock, so other processes help.

Each worker is a fresh `python -m mesh_platform.check.parse_workers` given a msgpack list of statements on
stdin; it writes back, in order, the tables each reads. Fresh interpreters, rather than multiprocessing's fork or
spawn, cannot inherit a lock held by another thread (dbt's, DuckDB's) nor re-run the caller's main module.
A worker that fails costs only time: its statements are parsed here instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import msgspec

from ..child_process import start_worker

Tables = frozenset[str] | None  # as sql_relations.Tables: None for a statement no parser could read
Parser = Callable[[list[str], str], list[Tables]]


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_in_workers(sqls: list[str], dialect: str, workers: int, parse: Parser) -> list[Tables]:
    """`parse(sqls, dialect)` shared by this process and `workers - 1` others, the statements dealt out
    round-robin (so long and short alike)."""
    chunks = [sqls[index::workers] for index in range(workers)]
    with tempfile.TemporaryDirectory(prefix="mesh-parse-") as folder:
        # files, not pipes: feeding a pipe takes Python's lock, which the parsing here keeps busy
        started = [_start_worker(Path(folder) / str(index), chunk, dialect) for index, chunk in enumerate(chunks)
                   if index]
        try:
            parsed = [parse(chunks[0], dialect)]
            parsed += [_finish_worker(worker, chunk, dialect, parse)
                       for worker, chunk in zip(started, chunks[1:], strict=True)]
        finally:  # interrupted: stop the workers too
            for process, _ in started:
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
    found: list[Tables] = [None] * len(sqls)
    for index, tables in enumerate(parsed):
        found[index::workers] = tables
    return found


def _start_worker(stem: Path, sqls: list[str], dialect: str) -> tuple[subprocess.Popen | None, Path]:
    return start_worker(__name__, msgspec.msgpack.encode([dialect, sqls]), stem)


def _finish_worker(worker: tuple[subprocess.Popen | None, Path], sqls: list[str], dialect: str,
                   parse: Parser) -> list[Tables]:
    process, answer = worker
    if process is not None and process.wait() == 0:
        try:
            tables = msgspec.msgpack.decode(answer.read_bytes(), type=list[Tables])
        except (OSError, msgspec.DecodeError):
            tables = []
        if len(tables) == len(sqls):
            return tables
    return parse(sqls, dialect)


def _serve() -> None:
    from .sql_relations import parse_statements

    dialect, sqls = msgspec.msgpack.decode(sys.stdin.buffer.read(), type=tuple[str, list[str]])
    parsed = parse_statements(sqls, dialect)
    sys.stdout.buffer.write(msgspec.msgpack.encode([None if tables is None else sorted(tables) for tables in parsed]))


if __name__ == "__main__":
    _serve()
