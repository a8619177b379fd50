"""Lint the project's SQL with sqlfluff: the Jinja templater (no dbt compile), files in parallel processes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
    cache_stamp = cache.stamp(root, LINT_CONTEXT)
    known = cache.load(root, cache_stamp)
    keys = {path: cache.file_key(root, path) for path in paths}
    todo = paths if fix else [path for path in paths if keys[path] not in known]
    found: dict[str, cache.Found] = {path: known[keys[path]] for path in paths if path not in todo}
    for violation in _run_sqlfluff(root, todo, fix, processes):
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


def _run_sqlfluff(root: Path, paths: list[str], fix: bool, processes: int | None) -> list[LintViolation]:
    """sqlfluff on `paths` (Jinja templater, in parallel): every violation, domain not yet known."""
    if not paths:
        return []
    from sqlfluff.core import FluffConfig, Linter, SQLFluffUserError

    with working_directory(root):
        try:
            # the dbt stand-ins ship with the platform, so any project can use them
            config = FluffConfig.from_root(overrides={"library_path": str(LINT_CONTEXT)})
            linter = Linter(config=config)
            processes = processes or os.cpu_count()
            if fix:  # sqlfluff reports what it found, fixed or not: lint again for what remains
                linter.lint_paths(tuple(paths), fix=True, apply_fixes=True, processes=processes)
            result = linter.lint_paths(tuple(paths), processes=processes)
        except SQLFluffUserError as error:
            raise MeshError(f"sqlfluff refused the configuration: {' '.join(str(error).split())[:300]}") from None
        records = result.as_records()
    violations = []
    for record in records:
        reported = Path(record["filepath"])  # relative to the project root, where sqlfluff ran
        path = str(PurePosixPath((reported if reported.is_absolute() else root / reported).resolve()
                                 .relative_to(root.resolve())))
        for violation in record["violations"]:
            violations.append(LintViolation(path, int(violation["start_line_no"]),  # type: ignore[arg-type]
                                            int(violation["start_line_pos"]),  # type: ignore[arg-type]
                                            str(violation["code"]), str(violation["description"]), None))
    return violations
