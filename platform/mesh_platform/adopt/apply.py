"""Applying an adoption: the files, then one dbt compile and the baseline; all of it undone if dbt refuses or
the command is killed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ..errors import DbtFailure, MeshError
from ..manifest import LEGACY
from ..project import Project
from .plan import MODELS, AdoptionPlan


@dataclass(frozen=True)
class Adopted:
    baseline: Path
    recorded: Counter  # rule code -> open violations recorded in the baseline

    @property
    def total(self) -> int:
        return sum(self.recorded.values())


def adopt(plan: AdoptionPlan) -> Adopted:
    """Write the plan, compile the adopted project once and record its open violations in the baseline.

    All in one journaled changeset (the baseline is one of its files, written once dbt has compiled): when
    dbt cannot compile it, anything else fails or the command is killed meanwhile, every file is as it was.
    """
    from ..check.config import load_config
    from ..check.registry import all_rules

    project = Project(plan.root)
    warehouse = _warehouse_file(project)
    created_warehouse = warehouse is not None and not warehouse.exists()
    baseline = load_config(plan.root, set(all_rules())).baseline
    plan.changes.replace(project.relative(baseline), "")  # a place in the journal; the compile writes it
    try:
        adopted = plan.changes.apply(then=lambda: _compile_and_record(project))
    except BaseException as error:
        if created_warehouse and warehouse is not None:
            _remove_warehouse(warehouse)
        if isinstance(error, DbtFailure):
            message = str(error).replace(f"{MODELS}/{LEGACY}/", f"{MODELS}/")  # the files are back where they were
            raise DbtFailure(f"{message}; the adoption was rolled back and the project is as it was") from None
        raise
    return cast(Adopted, adopted)


def _compile_and_record(project: Project) -> Adopted:
    """What `mesh check --write-baseline` does, on the adopted files: every open violation recorded, so only new
    ones fail."""
    from ..check.baseline import write_baseline
    from ..check.config import load_config
    from ..check.context import CheckContext
    from ..check.engine import run_check
    from ..check.registry import all_rules
    from ..dbt_session import DbtSession

    manifest = DbtSession(project).compiled_manifest()  # after the writes: dbt parses the moved files
    config = load_config(project.root, set(all_rules()))
    fresh = run_check(CheckContext(manifest, project.root), config, baseline=set())
    violations = [finding.violation for finding in fresh.findings if finding.status == "open"]
    write_baseline(config.baseline, violations)
    return Adopted(config.baseline, Counter(violation.code for violation in {v.key: v for v in violations}.values()))


def _warehouse_file(project: Project) -> Path | None:
    """The DuckDB file dbt opens when it compiles (created if missing), or None for another warehouse."""
    from ..warehouse import duckdb_path

    try:
        return duckdb_path(project)
    except MeshError:
        return None


def _remove_warehouse(path: Path) -> None:
    """The empty DuckDB file the failed compile created (and its write-ahead log)."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
