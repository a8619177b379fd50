"""Whether a command at the root runs the whole mesh of projects, and the mesh-wide view of their manifests."""

from __future__ import annotations

import os

from ..errors import MeshError
from ..manifest import Mesh, load_manifest
from ..project import Project
from .config import MeshProject, graduated_projects, mesh_projects

ONE_PROJECT = "MESH_ONE_PROJECT"  # set for the runs the mesh of projects starts: each works on its own project


def runs_projects(args) -> bool:
    """True at the root of a mesh of projects (mesh.yml lists graduated ones), outside a project's own run."""
    if os.environ.get(ONE_PROJECT):
        return False
    root = Project.locate(args.project_dir).root
    return bool(graduated_projects(root))


def the_projects(args) -> tuple[Project, list[MeshProject]]:
    """The root project and every project of the mesh, root first."""
    import yaml

    project = Project.locate(args.project_dir)
    settings = yaml.safe_load((project.root / "dbt_project.yml").read_text("utf-8")) or {}
    if os.environ.get("MESH_DUCKDB_PATH"):
        raise MeshError("MESH_DUCKDB_PATH moves the root project's warehouse only, which the other projects of the "
                        "mesh attach from warehouse/; unset it to run the mesh of projects")
    return project, mesh_projects(project.root, str(settings.get("name") or "mesh"))


def mesh_of(projects: list[MeshProject]) -> Mesh:
    """Every project's last manifest as one mesh (a project not parsed yet is missing from it)."""
    manifests = {}
    for member in projects:
        if member.manifest_path.is_file():
            manifests[member.name] = load_manifest(member.manifest_path)
    if not manifests:
        raise MeshError("no project of the mesh has a manifest yet; run `mesh build` first")
    return Mesh(manifests)


def whole_mesh(session) -> Mesh:
    """The session's project as the mesh model; at the root of a mesh of projects, with every graduated
    project's last manifest beside it (their domains, products and consumers)."""
    root = session.project.root
    graduated = [member for member in graduated_projects(root) if member.manifest_path.is_file()]
    if not graduated or os.environ.get(ONE_PROJECT):
        return session.mesh()
    manifests = {str(session.manifest().metadata.project_name): session.manifest()}
    for member in graduated:
        manifests[member.name] = load_manifest(member.manifest_path)
    return Mesh(manifests)


def prepare_warehouses(projects: list[MeshProject], target: str | None = None) -> None:
    """Before a run on `target`: set aside each manifest another adapter wrote (its nodes would be injected with
    that warehouse's names: a mesh built on DuckDB, then on Spark, starts afresh there), and on DuckDB create
    each project's file when missing, empty, so that the others can attach it from the start."""
    import duckdb

    from ..warehouse import target_credentials

    adapter = target_credentials(Project(projects[0].root), target)[1].type
    for member in projects:
        if member.manifest_path.is_file():
            try:
                written_by = load_manifest(member.manifest_path).metadata.adapter_type
            except MeshError:
                written_by = None
            if written_by != adapter:
                member.manifest_path.unlink()
    if adapter != "duckdb":
        return
    for member in projects:
        path = member.warehouse
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            duckdb.connect(str(path)).close()

