"""`mesh diff` over a mesh of projects: every project at a git ref against every project now, as one mesh each,
so a breaking change in one project names its consumers in all the others."""

from __future__ import annotations

import shutil

from ..errors import MeshError
from ..git import commit_of, worktree
from ..manifest import Mesh
from .config import MeshProject, mesh_projects
from .runs import mesh_of, the_projects
from .subprocess_run import run_mesh


def parsed_mesh(projects: list[MeshProject]) -> Mesh:
    """Every project parsed now (each in its own process), as one mesh."""
    for member in projects:
        run = run_mesh(member, "domains", "--format", "json")
        if not run.ok:
            raise MeshError(f"dbt could not parse project {member.name}: {run.error}")
    return mesh_of(projects)


def diff_meshes(args) -> tuple[Mesh, Mesh, str]:
    """(the base, the mesh now, what the base is): the base parsed from a temporary worktree of the ref."""
    project, projects = the_projects(args)
    current = parsed_mesh(projects)
    commit = commit_of(project.root, args.base, "--base")
    if not commit:
        raise MeshError(f"--base {args.base}: at the root of a mesh of projects the base is a git ref (every "
                        f"project is parsed there); for one project's manifest, run it in that project")
    with worktree(project.root, commit, f"--base {args.base}") as root:
        if not (root / "dbt_project.yml").is_file():
            raise MeshError(f"--base {args.base}: the project did not exist at that commit")
        then = mesh_projects(root, projects[0].name)
        for member in then:  # cross-project refs resolve against today's manifests; each keeps its own nodes
            now = next((p for p in projects if p.name == member.name), None)
            if now is not None and now.manifest_path.is_file() and not member.manifest_path.exists():
                member.manifest_path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(now.manifest_path, member.manifest_path)
        base = parsed_mesh(then)
    return base, current, f"git {args.base}"
