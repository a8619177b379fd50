"""Applying an adoption: the files, then one dbt compile and the baseline; all of it undone if dbt refuses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

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

    When dbt cannot compile it (or anything else fails), every file is put back as it was.
    """
    project = Project(plan.root)
    warehouse = _warehouse_file(project)
    created_warehouse = warehouse is not None and not warehouse.exists()
    plan.changes.apply()
    baseline = _Snapshot()
    try:
        from ..dbt_session import DbtSession

        manifest = DbtSession(project).compiled_manifest()  # after the writes: dbt parses the moved files
        return _record_baseline(plan.root, manifest, baseline)
    except BaseException as error:
        baseline.restore()
        plan.changes.revert()
        if created_warehouse and warehouse is not None:
            _remove_warehouse(warehouse)
        if isinstance(error, DbtFailure):
            message = str(error).replace(f"{MODELS}/{LEGACY}/", f"{MODELS}/")  # the files are back where they were
            raise DbtFailure(f"{message}; the adoption was rolled back and the project is as it was") from None
        raise


def _record_baseline(root: Path, manifest, snapshot: _Snapshot) -> Adopted:
    """What `mesh check --write-baseline` does: every open violation recorded, so only new ones fail."""
    from ..check.baseline import write_baseline
    from ..check.config import load_config
    from ..check.context import CheckContext
    from ..check.engine import run_check
    from ..check.registry import all_rules

    config = load_config(root, set(all_rules()))
    fresh = run_check(CheckContext(manifest, root), config, baseline=set())
    violations = [finding.violation for finding in fresh.findings if finding.status == "open"]
    snapshot.take(config.baseline)
    write_baseline(config.baseline, violations)
    return Adopted(config.baseline, Counter(violation.code for violation in {v.key: v for v in violations}.values()))


class _Snapshot:
    """A file's bytes before it is written (none when it did not exist), to put back on failure."""

    def __init__(self):
        self.path: Path | None = None
        self.content: bytes | None = None

    def take(self, path: Path) -> None:
        self.path, self.content = path, path.read_bytes() if path.is_file() else None

    def restore(self) -> None:
        if self.path is None:
            return
        if self.content is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_bytes(self.content)
        self.path.with_name(self.path.name + ".partial").unlink(missing_ok=True)


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
