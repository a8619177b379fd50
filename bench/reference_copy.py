"""A copy of the reference mesh in a temporary folder, for benchmarks (the repo itself is never touched)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_ITEMS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "mesh.yml",
                 "mesh-baseline.json", "ownership-log.csv", ".github", ".dbtignore", ".sqlfluff")


def copy_reference(workdir: Path) -> Path:
    """`workdir/reference`: the dbt project and the platform's config, with an empty warehouse folder."""
    project = workdir / "reference"
    project.mkdir()
    for item in PROJECT_ITEMS:
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / item)
    (project / "warehouse").mkdir()
    return project
