"""The base to compare with: a manifest.json, or a git ref parsed from a temporary worktree (no warehouse)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import MeshError
from ..project import Project


def load_base(project: Project, base: str) -> tuple[dict, str]:
    """(the base manifest as a dict, what it is, for the report)."""
    path = Path(base)
    if path.is_file():
        return _read_manifest(path, project), str(path)
    if path.suffix == ".json" or path.is_dir():
        raise MeshError(f"--base {base}: no manifest file there; give a manifest.json or a git ref")
    return _parse_at_ref(project, base), f"git {base}"


def _read_manifest(path: Path, project: Project) -> dict:
    try:
        manifest = json.loads(path.read_bytes())
    except (ValueError, OSError) as error:
        raise MeshError(f"--base {path} is not a readable manifest.json ({' '.join(str(error).split())[:120]})") \
            from None
    name = (manifest.get("metadata") or {}).get("project_name") if isinstance(manifest, dict) else None
    if name is None or "nodes" not in manifest:
        raise MeshError(f"--base {path} is not a dbt manifest.json")
    ours = _project_name(project.root)
    if name != ours:
        raise MeshError(f"--base {path} is the manifest of project '{name}', not of this project '{ours}'")
    return manifest


def _project_name(root: Path) -> str:
    import yaml

    return (yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8")) or {}).get("name", "")


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        raise MeshError("--base with a git ref needs git, which is not installed") from None
    if result.returncode != 0:
        raise MeshError(" ".join(result.stderr.split())[:200] or f"git {' '.join(args)} failed")
    return result.stdout.strip()


def _parse_at_ref(project: Project, ref: str) -> dict:
    """Check the ref out into a temporary worktree and parse the project there (dbt parse only)."""
    from ..dbt_session import DbtSession

    try:
        commit = _git(project.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except MeshError:
        commit = ""
    if not commit:
        raise MeshError(f"--base {ref} is neither a manifest file nor a git ref of this repository")
    prefix = _git(project.root, "rev-parse", "--show-prefix")
    folder = Path(tempfile.mkdtemp(prefix="mesh-diff-base-"))
    worktree = folder / "base"
    try:
        _git(project.root, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
        root = worktree / prefix
        if not (root / "dbt_project.yml").is_file():
            raise MeshError(f"--base {ref}: the project did not exist at that commit")
        return DbtSession(Project(root)).graph().manifest
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=project.root,
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
