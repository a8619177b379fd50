"""Lint the project's SQL with sqlfluff: the Jinja templater (no dbt compile), files in parallel processes.

Whatever templater the project's .sqlfluff names (`dbt`, `dbt-cloud`: both compile the project against a live
warehouse), mesh lints with the Jinja templater, with the project's and its installed packages' macros
(lint/dbt_jinja.py), and says so once; every other setting of the project's configuration is kept. Without a
`dialect` there, the dialect is the one of the profile's adapter (dbt-snowflake: snowflake).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..dbt_session import working_directory
from ..domain_files import declared_domains
from ..errors import MeshError
from ..manifest import CODE_ROOTS, domain_from_path

LINT_CONTEXT = Path(__file__).resolve().parent / "sqlfluff_context"


@dataclass(frozen=True)
class LintViolation:
    path: str
    line: int
    column: int
    code: str
    description: str
    domain: str | None

    def line_text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.description}"


def sql_files(root: Path, domain: str | None = None) -> list[str]:
    """The project's SQL files (relative paths), optionally only one domain's."""
    found = []
    for top in CODE_ROOTS:
        base = root / top / domain if domain else root / top
        found += [str(path.relative_to(root)) for path in sorted(base.rglob("*.sql")) if path.is_file()]
    return found


def lint(root: Path, paths: list[str], fix: bool = False, processes: int | None = None) -> list[LintViolation]:
    """Lint (or fix, then report what remains) `paths` with the project's .sqlfluff; violations found. A file
    unchanged since it was last linted (same content, same configuration) is not linted again (lint/cache.py)."""
    if not paths:
        return []
    from . import cache

    if not (root / ".sqlfluff").is_file():
        raise MeshError(f"no .sqlfluff in {root}: add one with at least `[sqlfluff]` `dialect = duckdb` and "
                        f"`templater = jinja` (this repo's .sqlfluff is the house style)")
    overrides, notice = lint_overrides(root)
    if notice:
        print(f"mesh: {notice}", file=sys.stderr)
    cache_stamp = cache.stamp(root, overrides)
    known = cache.load(root, cache_stamp)
    keys = {path: cache.file_key(root, path) for path in paths}
    todo = paths if fix else [path for path in paths if keys[path] not in known]
    found: dict[str, cache.Found] = {path: known[keys[path]] for path in paths if path not in todo}
    for violation in _run_sqlfluff(root, todo, fix, processes, overrides):
        found.setdefault(violation.path, []).append(
            (violation.line, violation.column, violation.code, violation.description))
    if todo:
        if fix:  # the files changed: key them as they are now
            keys.update({path: cache.file_key(root, path) for path in todo})
        fresh = {keys[path]: found.get(path, []) for path in todo}
        cache.save(root, cache_stamp, {**known, **fresh})
    domains = declared_domains(root)
    return sorted((LintViolation(path, line, column, code, description, domain_from_path(path, domains))
                   for path, violations in found.items() for line, column, code, description in violations),
                  key=lambda v: (v.path, v.line, v.column, v.code))


def lint_overrides(root: Path) -> tuple[dict[str, str], str | None]:
    """What mesh sets over the project's sqlfluff configuration, and the one line that says so (None: nothing
    the project's configuration chose is set aside)."""
    from sqlfluff.core.config.loader import load_config_up_to_path

    from ..sql_dialect import sqlfluff_dialect
    from .dbt_jinja import adapter_type

    with working_directory(root):
        try:
            loaded = load_config_up_to_path(".").get("core")
            core = loaded if isinstance(loaded, dict) else {}
        except Exception as error:  # noqa: BLE001 - sqlfluff's reading of the user's files
            raise MeshError(f"cannot read the sqlfluff configuration: {' '.join(str(error).split())[:300]}") from None
    # the platform's dbt stand-ins and the project's macros come with the Jinja templater
    overrides = {"library_path": str(LINT_CONTEXT), "templater": "jinja"}
    named = core.get("templater") or "jinja"
    notice = None if named == "jinja" else (
        f"the project's sqlfluff configuration names the '{named}' templater; mesh lint uses sqlfluff's Jinja "
        f"templater (no dbt compile) with the project's and dbt_packages' macros, and keeps the other settings")
    if not core.get("dialect"):
        adapter = adapter_type(root)
        dialect = sqlfluff_dialect(adapter) if adapter else None
        if dialect is None:
            raise MeshError(f"no sqlfluff dialect for this project: set `dialect` in .sqlfluff"
                            f"{f' (the profile adapter {adapter!r} has no sqlfluff dialect)' if adapter else ''}")
        overrides["dialect"] = dialect
    return overrides, notice


def _run_sqlfluff(root: Path, paths: list[str], fix: bool, processes: int | None,
                  overrides: dict[str, str]) -> list[LintViolation]:
    """sqlfluff on `paths` (Jinja templater, in parallel): every violation, domain not yet known."""
    from .workers import lint_files

    if not paths:
        return []
    return [LintViolation(path, line, column, code, description, None) for path, line, column, code, description
            in lint_files(root, paths, fix, overrides, processes or os.cpu_count() or 1)]
