"""The base to compare with: a manifest.json, or a git ref parsed from a temporary worktree (no warehouse)."""

from __future__ import annotations

from pathlib import Path

from ..errors import MeshError
from ..git import commit_of, worktree
from ..manifest import Mesh, load_manifest
from ..project import Project

PACKAGES = "dbt_packages"  # where `dbt deps` installs a project's packages


def load_base(project: Project, base: str, current_name: str | None) -> tuple[Mesh, str]:
    """(the base, what it is, for the report). `current_name`: the project's name, which a base manifest must
    have."""
    path = Path(base)
    if path.is_file():
        return _read_manifest(path, current_name), str(path)
    if path.suffix == ".json" or path.is_dir():
        raise MeshError(f"--base {base}: no manifest file there; give a manifest.json or a git ref")
    return _parse_at_ref(project, base), f"git {base}"


def _read_manifest(path: Path, current_name: str | None) -> Mesh:
    try:
        manifest = load_manifest(path)
    except MeshError as error:
        raise MeshError(f"--base {error}") from None
    name = manifest.metadata.project_name
    if current_name is not None and name != current_name:
        raise MeshError(f"--base {path} is the manifest of project '{name}', not of this project '{current_name}'")
    return Mesh(manifest)


def _parse_at_ref(project: Project, ref: str) -> Mesh:
    """Check the ref out into a temporary worktree and parse the project there (dbt parse only)."""
    from ..dbt_session import DbtSession

    what = f"--base {ref}"
    commit = commit_of(project.root, ref, "--base")
    if not commit:
        raise MeshError(f"--base {ref} is neither a manifest file nor a git ref of this repository")
    with worktree(project.root, commit, what) as root:
        if not (root / "dbt_project.yml").is_file():
            raise MeshError(f"--base {ref}: the project did not exist at that commit")
        _share_installed_packages(project.root, root)
        return DbtSession(Project(root)).mesh()


def _share_installed_packages(origin: Path, copy: Path) -> None:
    """The installed dbt packages (git-ignored, so not in the worktree), linked in from the project."""
    installed = origin / PACKAGES
    if installed.is_dir() and not (copy / PACKAGES).exists():
        (copy / PACKAGES).symlink_to(installed, target_is_directory=True)
