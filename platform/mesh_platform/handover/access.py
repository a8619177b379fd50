"""The access a model will have where it moves to, computed as dbt computes it: its own `access` (the YAML
entry's, the SQL's `config()`) wins, else the nearest folder config of `dbt_project.yml` (`+access` under
`models: <project>: <folder>: ...`), else dbt's default."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from ..manifest import Mesh
from ..manifest.nodes import DEFAULT_ACCESS
from ..project import PROJECT_FILE
from . import yaml_text

OWN_IN_YAML = re.compile(r"^\s*(?:-\s*)?access\s*:\s*['\"]?(\w+)", re.MULTILINE)
OWN_IN_SQL = re.compile(r"config\s*\((?:[^()]|\([^()]*\))*?\baccess\s*=\s*['\"](\w+)['\"]", re.DOTALL)


class FolderConfig:
    """The `models:` tree of dbt_project.yml, asked for the config a path inherits."""

    def __init__(self, root: Path, project_name: str | None):
        path = root / PROJECT_FILE
        data = yaml_text.parse(path.read_text(encoding="utf-8"), PROJECT_FILE) if path.is_file() else {}
        self.model_paths = [str(p).strip("/") for p in data.get("model-paths") or ["models"]]
        models = data.get("models") or {}
        self.tree: Any = models.get(project_name) if project_name in models else {}

    def value(self, path: str, key: str) -> Any:
        """The value of `key` that the folders of `path` (a model's file) cascade to it, None when none sets it."""
        parts = PurePosixPath(path).parts
        top = next((p for p in self.model_paths if PurePosixPath(*parts[:len(PurePosixPath(p).parts)]) ==
                    PurePosixPath(p)), None)
        if top is None:
            return None
        found, level = _own(self.tree, key), self.tree
        for folder in parts[len(PurePosixPath(top).parts):-1]:
            level = level.get(folder) if hasattr(level, "get") else None
            if not hasattr(level, "get"):
                break
            here = _own(level, key)
            found = here if here is not None else found
        return found


    def settings(self, path: str) -> dict[str, Any]:
        """Every setting the folders of `path` cascade to it (key without its `+` -> value), nearest wins."""
        parts = PurePosixPath(path).parts
        top = next((p for p in self.model_paths if PurePosixPath(*parts[:len(PurePosixPath(p).parts)]) ==
                    PurePosixPath(p)), None)
        if top is None:
            return {}
        found, level = _settings(self.tree), self.tree
        for folder in parts[len(PurePosixPath(top).parts):-1]:
            level = level.get(folder) if hasattr(level, "get") else None
            if not hasattr(level, "get"):
                break
            found |= _settings(level)
        return found


CARRIED = ("group", "access", "schema")  # what a handover changes on purpose: the destination domain's
DEFAULT = "(dbt's default)"


def lost_settings(folders: FolderConfig, origin: str, destination: str) -> list[str]:
    """The folder settings a model moved from `origin` to `destination` (its SQL file's paths) gets otherwise,
    as `key: before -> after` (e.g. `materialized: view -> table`); the domain's own ones (CARRIED) aside."""
    before, after = folders.settings(origin), folders.settings(destination)
    return [f"{key}: {before.get(key, DEFAULT)} -> {after.get(key, DEFAULT)}"
            for key in sorted(set(before) | set(after))
            if key not in CARRIED and before.get(key) != after.get(key)]


def _settings(level: Any) -> dict[str, Any]:
    """The settings of one folder's config (not its sub-folders), `+key` and plain `key` alike."""
    if not hasattr(level, "get"):
        return {}
    found = {}
    for name, value in level.items():
        key = str(name).removeprefix("+")
        if not hasattr(value, "get") or str(name).startswith("+"):
            found[key] = value if not hasattr(value, "get") else dict(value)
    return found


def _own(level: Any, key: str) -> Any:
    if not hasattr(level, "get"):
        return None
    for name in (f"+{key}", key):
        value = level.get(name)
        if value is not None and not hasattr(value, "get"):
            return value
    return None


def own_access(entry: list[str] | None, sql: str) -> str | None:
    """The access a model declares itself (YAML entry, else its SQL's config()), None when it declares none."""
    if entry:
        found = OWN_IN_YAML.search("".join(entry))
        if found:
            return found.group(1)
    found = OWN_IN_SQL.search(sql or "")
    return found.group(1) if found else None


def access_at(folders: FolderConfig, destination: str, own: str | None) -> str:
    """The access a model gets at `destination` (its SQL file's new path), given the access it declares itself."""
    return own or str(folders.value(destination, "access") or DEFAULT_ACCESS)


def declared_access(root: Path, mesh: Mesh) -> Callable[[str], str | None]:
    """uid -> the access a model declares itself (its YAML entry's or its SQL's), None when none."""
    def own(uid: str) -> str | None:
        node = mesh.nodes[uid]
        patch = (node.get("patch_path") or "").split("://", 1)[-1]
        entry = None
        if patch and (root / patch).is_file():
            text = (root / patch).read_text(encoding="utf-8")
            span = yaml_text.find_entry(text, "models", node.name, patch)
            entry = text.splitlines(keepends=True)[span.start:span.end] if span else None
        return own_access(entry, node.raw_code or "")
    return own
