"""Applying an adoption: the files, then one dbt parse and the baseline; all of it undone if dbt refuses or the
command is killed.

dbt only parses the adopted project (the graph is what the rules judge): no warehouse is opened, so a project
written for a warehouse that is not here adopts too, and none is created. dbt writes its artifacts into a
folder of their own, moved into target/ once the adoption is whole: a refusal leaves target/ as it was.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ..errors import DbtFailure
from ..project import Project
from .plan import MODELS, AdoptionPlan


@dataclass(frozen=True)
class Adopted:
    baseline: Path
    recorded: Counter  # rule code -> open violations recorded in the baseline
    not_run: list[str] = field(default_factory=list)  # rules that need compiled SQL: not run on the parse
    packages: Counter = field(default_factory=Counter)  # installed package -> its nodes, left as they are

    @property
    def total(self) -> int:
        return sum(self.recorded.values())


def adopt(plan: AdoptionPlan) -> Adopted:
    """Write the plan, parse the adopted project once and record its open violations in the baseline.

    All in one journaled changeset (the baseline is one of its files, written once dbt has parsed): when
    dbt cannot parse it, anything else fails or the command is killed meanwhile, every file is as it was.
    """
    from ..check.config import load_config
    from ..check.registry import all_rules

    project = Project(plan.root)
    baseline = load_config(plan.root, set(all_rules())).baseline
    plan.changes.replace(plan.path(project.relative(baseline)), "")  # a place in the journal; the parse writes it
    with tempfile.TemporaryDirectory(prefix="mesh-adopt-target-") as artifacts:
        try:
            adopted = plan.changes.apply(then=lambda: _parse_and_record(project, Path(artifacts)))
        except DbtFailure as error:
            moved = f"{MODELS}/{plan.domain}/"
            message = str(error).replace(moved, f"{MODELS}/")  # the files are back where they were
            raise DbtFailure(f"{message}; the adoption was rolled back and the project is as it was") from None
        _move_artifacts(Path(artifacts), project.target_dir)
    return cast(Adopted, adopted)


def _parse_and_record(project: Project, artifacts: Path) -> Adopted:
    """What `mesh check --write-baseline` does, on the adopted files parsed: every open violation recorded, so
    only new ones fail; the rules that need compiled SQL are said not to have run."""
    from ..check.baseline import write_baseline
    from ..check.config import load_config
    from ..check.context import CheckContext
    from ..check.engine import run_check
    from ..check.registry import all_rules
    from ..dbt_session import DbtSession

    mesh = DbtSession(project, target_path=artifacts).mesh()  # after the writes: dbt parses the moved files
    config = load_config(project.root, set(all_rules()))
    fresh = run_check(CheckContext(mesh, project.root), config, baseline=set())
    violations = [finding.violation for finding in fresh.findings if finding.status == "open"]
    write_baseline(config.baseline, violations)
    packages = Counter(package for uid in mesh.nodes if (package := mesh.package_of(uid)))
    return Adopted(config.baseline, Counter(violation.code for violation in {v.key: v for v in violations}.values()),
                   fresh.not_run, packages)


def _move_artifacts(artifacts: Path, target: Path) -> None:
    """dbt's artifacts of the adopted project into target/ (each file replaced whole): none of the old layout's
    is left there to mislead the next reader."""
    from ..files import write_atomically

    for path in sorted(artifacts.iterdir()):
        if path.is_file():
            write_atomically(target / path.name, path.read_bytes())
