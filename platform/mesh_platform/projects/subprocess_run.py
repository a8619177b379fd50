"""Run a mesh command in another project of the mesh, in a process of its own.

dbt-loom patches dbt's ref checks once per parse, for the project it is loaded in: two projects parsed in one
process would stack each other's patches. Each project's dbt therefore runs in its own `mesh` process, with
dbt-loom reading that project's configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from .config import MeshProject
from .project_files import LOOM_CONFIG


@dataclass(frozen=True)
class ProjectRun:
    project: str
    returncode: int
    output: str  # stdout and stderr, as the user would have seen them

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def error(self) -> str:
        """The run's own one-line reason (its `mesh:` line), else its last line."""
        lines = [line for line in self.output.splitlines() if line.strip()]
        said = [line.removeprefix("mesh: ") for line in lines if line.startswith("mesh: ")]
        return said[-1] if said else (lines[-1] if lines else f"exit {self.returncode}")


def loom_environment(project: MeshProject) -> dict[str, str]:
    """The environment dbt runs with in `project`: dbt-loom reads its configuration, nobody else's."""
    return {**os.environ, "DBT_LOOM_CONFIG": str(project.root / LOOM_CONFIG), "MESH_ONE_PROJECT": "1"}


def run_mesh(project: MeshProject, *args: str, echo: bool = False) -> ProjectRun:
    """`mesh --project-dir PROJECT ARGS...` in a process of its own; with `echo`, its output is shown as it
    comes (and kept)."""
    return run_module(project, "mesh_platform", "--project-dir", str(project.root), *args, echo=echo)


def compile_project(project: MeshProject, target: str | None) -> ProjectRun:
    """Parse and compile the project in a process of its own (its target/manifest.json then has compiled SQL)."""
    return run_module(project, "mesh_platform.projects.compile_worker", str(project.root),
                      *([target] if target else []))


def run_module(project: MeshProject, module: str, *args: str, echo: bool = False) -> ProjectRun:
    command = [sys.executable, "-m", module, *args]
    process = subprocess.Popen(command, cwd=project.root, env=loom_environment(project), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    kept = []
    assert process.stdout is not None
    for line in process.stdout:
        kept.append(line)
        if echo:
            sys.stdout.write(line)
            sys.stdout.flush()
    return ProjectRun(project.name, process.wait(), "".join(kept))
