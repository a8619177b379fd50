"""`mesh check` over a mesh of projects: every project compiled in its own process, then judged as one mesh."""

from __future__ import annotations

from ..errors import MeshError
from ..manifest import Mesh
from ..project import Project
from .config import MeshProject
from .runs import mesh_of, prepare_warehouses, the_projects
from .subprocess_run import compile_project


def compiled_mesh(args) -> tuple[Project, list[MeshProject], Mesh]:
    """The root project, every project, and the mesh of their freshly compiled manifests."""
    project, projects = the_projects(args)
    prepare_warehouses(projects, args.target)  # compiling opens the warehouse, which attaches the others'
    for member in projects:
        run = compile_project(member, args.target)
        if not run.ok:
            raise MeshError(f"dbt could not compile project {member.name}: {run.error}")
    return project, projects, mesh_of(projects)
