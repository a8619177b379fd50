"""What `mesh lint` found in each file, kept in `target/mesh-lint-cache/`: an unchanged file is not linted again.

An entry is keyed by the file's path and content; the whole cache is stamped with what else decides the result
(sqlfluff's version, every sqlfluff configuration file of the project, what mesh sets over it, the platform's
lint code and dbt stand-ins, the project's and its installed packages' macros, dbt_project.yml and profiles.yml),
so a new sqlfluff, a changed `.sqlfluff` or a changed macro starts afresh. The file is sealed as `mesh check`'s
cache is (check/cache_file): an entry someone else wrote is not trusted, and a cache that cannot be read or
written only costs time.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..check.cache_file import digest, read_cache, write_cache

CACHE_FILE = Path("target") / "mesh-lint-cache" / "results"
CONFIG_FILES = (".sqlfluff", "setup.cfg", "tox.ini", "pyproject.toml", ".sqlfluffignore")
Found = list[tuple[int, int, str, str]]  # (line, column, code, description) of each violation


def stamp(root: Path, overrides: dict[str, str]) -> bytes:
    """What, besides a file itself, decides what sqlfluff finds in it (`overrides`: what mesh sets over the
    project's sqlfluff configuration)."""
    import sqlfluff

    from .dbt_jinja import macro_files

    parts = [b"mesh-lint-cache 2", sqlfluff.__version__.encode(), json.dumps(overrides, sort_keys=True).encode()]
    configs = sorted({*(root / name for name in CONFIG_FILES), *root.glob("models/**/.sqlfluff"),
                      *root.glob("tests/**/.sqlfluff")})
    lint_code = sorted(Path(__file__).resolve().parent.rglob("*.py"))
    for path in (*configs, *lint_code, *macro_files(root)):
        if path.is_file():
            parts += [str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode(),
                      path.read_bytes()]
    return digest(*parts)


def file_key(root: Path, path: str) -> str:
    return digest(path.encode(), (root / path).read_bytes()).hex()


def load(root: Path, cache_stamp: bytes) -> dict[str, Found]:
    payload = read_cache(root / CACHE_FILE, cache_stamp)
    if payload is None:
        return {}
    try:
        raw = json.loads(bytes(payload))
        return {key: [(int(a), int(b), str(c), str(d)) for a, b, c, d in found] for key, found in raw.items()}
    except (ValueError, TypeError):
        return {}


def save(root: Path, cache_stamp: bytes, entries: dict[str, Found]) -> None:
    write_cache(root / CACHE_FILE, cache_stamp, json.dumps(entries, separators=(",", ":")).encode())
