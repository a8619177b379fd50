"""The tables each compiled SQL statement reads, kept across runs: parsing is most of a check's time.

An entry is keyed by a hash of the dialect and the SQL text, so a changed statement is simply another key;
the file is stamped with the parser's code and versions, so a new parser starts afresh.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Mapping
from hashlib import sha256
from pathlib import Path

import msgspec

from . import sql_relations
from .cache_file import digest, read_cache, write_cache
from .sql_relations import Tables

FILE = "relations.msgpack"
MAX_ENTRIES = 200_000  # past this, only the statements of the latest run are kept
PARSERS = ("duckdb", "sqlglot")


class RelationCache:
    """tables_read_all through a file under `folder` (None: no file, every statement parsed)."""

    def __init__(self, folder: Path | None):
        self.path = folder / FILE if folder else None
        self.hits = self.misses = 0

    def tables_read(self, statements: Mapping[bytes, str], dialect: str) -> dict[bytes, Tables]:
        """The tables each statement reads, by its key (`{sql_key(dialect, sql): sql}`): from the file, or parsed
        (and then written to it)."""
        stamp = parser_stamp() if self.path else b""
        known = self._load(self.path, stamp) if self.path else {}
        found = {key: known[key] for key in statements if key in known}
        missing = {key: sql for key, sql in statements.items() if key not in found}
        self.hits, self.misses = len(found), len(missing)
        if missing:
            parsed = sql_relations.tables_read_all(missing.values(), dialect)
            found.update((key, parsed[sql]) for key, sql in missing.items())
            if self.path:
                self._save(self.path, stamp, {**known, **found}, statements)
        return found

    @staticmethod
    def _load(path: Path, stamp: bytes) -> dict[bytes, Tables]:
        payload = read_cache(path, stamp)
        if payload is None:
            return {}
        try:
            return msgspec.msgpack.decode(payload, type=dict[bytes, Tables])
        except msgspec.DecodeError:
            return {}

    @staticmethod
    def _save(path: Path, stamp: bytes, entries: dict[bytes, Tables], used: Iterable[bytes]) -> None:
        if len(entries) > MAX_ENTRIES:
            entries = {key: entries[key] for key in used}
        write_cache(path, stamp, msgspec.msgpack.encode(
            {key: None if tables is None else sorted(tables) for key, tables in entries.items()}))


def sql_key(dialect: str, sql: str) -> bytes:
    """An entry's key: SHA-256 (hardware-accelerated on most CPUs) of the dialect and the statement, 128 bits."""
    return sha256(f"{dialect}\0{sql}".encode()).digest()[:16]


def parser_stamp() -> bytes:
    """What the entries depend on: this code and sql_relations', and the installed parsers (versions, files)."""
    code = (Path(module).read_bytes() for module in (__file__, sql_relations.__file__))
    return digest(*code, *(_installed(name).encode() for name in PARSERS))


def _installed(package: str) -> str:
    """The package's distribution records and its main file's size and time (no importlib.metadata: slow)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return f"{package} not installed"
    origin = Path(spec.origin)
    site = origin.parent.parent if spec.submodule_search_locations else origin.parent
    records = sorted(entry.name for entry in os.scandir(site)
                     if entry.name.startswith(f"{package}-") and entry.name.endswith((".dist-info", ".egg-info")))
    stat = origin.stat()
    return f"{origin} {stat.st_size} {stat.st_mtime_ns} {' '.join(records)}"
