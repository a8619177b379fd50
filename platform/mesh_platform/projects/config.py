"""The projects of the mesh, as mesh.yml's `projects:` section lists them (what `mesh split` writes).

The root project (the folder holding mesh.yml) holds every domain not graduated; each graduated domain is a
dbt project of its own at `path`, its manifest read from `manifest` (default: its target/manifest.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..errors import MeshError
from ..yaml_input import read_yaml, typed

CONFIG_FILE = "mesh.yml"
BLOCK_START = "# -- the mesh of dbt projects, written by `mesh split` --"


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    path: str
    domains: list[str]
    manifest: str | None = None


@dataclass(frozen=True)
class MeshProject:
    name: str  # the dbt project's name, which cross-project refs name: ref('funding', 'advances')
    root: Path
    domains: tuple[str, ...]  # empty for the root project: every domain its models/ holds
    manifest_path: Path
    is_root: bool = False

    @property
    def database(self) -> str:
        """Its DuckDB database's name (the file's): a graduated project's is not its domain's schema's name,
        which DuckDB would find ambiguous (`funding.advances_v1`)."""
        return self.name if self.is_root else f"project_{self.name}"

    @property
    def warehouse(self) -> Path:
        """Its DuckDB file (the root's default one; a graduated project's own)."""
        return self.root / "warehouse" / f"{self.database}.duckdb"


def graduated_projects(root: Path) -> list[MeshProject]:
    """The graduated projects mesh.yml lists, in its order; none for a single-project mesh."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return []
    data = read_yaml(path, CONFIG_FILE) or {}
    entries = typed(data.get("projects") or [], list[_Entry], f"{CONFIG_FILE} projects")
    found = []
    for entry in entries:
        folder = (root / entry.path).resolve()
        if not (folder / "dbt_project.yml").is_file():
            raise MeshError(f"{CONFIG_FILE} lists project {entry.name} at {entry.path}, which holds no "
                            f"dbt_project.yml; fix the path or remove the entry")
        manifest = root / entry.manifest if entry.manifest else folder / "target" / "manifest.json"
        found.append(MeshProject(entry.name, folder, tuple(entry.domains), manifest))
    return found


def graduated_folders(root: Path, projects: list[MeshProject] | None = None) -> dict[str, str]:
    """{graduated domain: its project's folder relative to the root}: where CODEOWNERS routes it. `projects`:
    the mesh's projects when known already (else mesh.yml's)."""
    graduated = graduated_projects(root) if projects is None else [p for p in projects if not p.is_root]
    return {domain: project.root.relative_to(root.resolve()).as_posix()
            for project in graduated for domain in project.domains}


def mesh_projects(root: Path, root_name: str) -> list[MeshProject]:
    """The root project first, then the graduated ones."""
    return [MeshProject(root_name, root, (), root / "target" / "manifest.json", is_root=True),
            *graduated_projects(root)]


def with_project(config_text: str, projects: list[tuple[str, str, tuple[str, ...]]]) -> str:
    """mesh.yml's text with its projects block (kept last in the file) written for `projects`:
    (name, path relative to the root, domains) each."""
    kept = config_text.split(BLOCK_START)[0].rstrip("\n")
    lines = [BLOCK_START,
             "# Each graduated domain's dbt project: its folder, its domains, where its manifest comes from.",
             "projects:"]
    for name, path, domains in projects:
        lines += [f"  - name: {name}", f"    path: {path}", f"    domains: [{', '.join(domains)}]",
                  f"    manifest: {path}/target/manifest.json"]
    return (kept + "\n\n" if kept else "") + "\n".join(lines) + "\n"
