"""The files that make a graduated domain a dbt project, and that wire the projects of a mesh together.

- dbt_project.yml: the root's settings (vars, hooks, flags, paths), with only the domain's own folder configs;
  the platform's shared macros are read from the root's macros/ (macro-paths).
- profiles.yml: the root's targets, the DuckDB file the project's own (warehouse/project_<name>.duckdb), the masking
  key the root's (masked values join across projects), the other projects' files attached read-only; on Spark
  the root's warehouse folder and metastore (the projects' schemas side by side).
- dbt_loom.config.yml: the other projects' manifests, whose public models its cross-project refs resolve to.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from ..errors import MeshError
from .config import MeshProject

LOOM_CONFIG = "dbt_loom.config.yml"
FOLDER_SECTIONS = ("models", "seeds", "data_tests", "tests", "snapshots", "sources")
ATTACH_START = "# -- attached by `mesh split`: the other projects' warehouses, read-only --"
ATTACH_END = "# -- end of attached --"
DUCKDB_PATH = re.compile(r"^(?P<indent>[ ]+)path: .*MESH_DUCKDB_PATH.*$", re.MULTILINE)
KEY_FILE = re.compile(r"^(?P<indent>[ ]+)demo_key_file: .*$", re.MULTILINE)


def relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def graduated_dbt_project(root_settings: dict, root_name: str, domain: str, folder: Path, root: Path) -> str:
    """The new project's dbt_project.yml, from the root's (parsed) settings."""
    settings = {key: value for key, value in root_settings.items() if key not in FOLDER_SECTIONS}
    settings["name"] = domain
    settings["macro-paths"] = [*settings.get("macro-paths", ["macros"]),
                               *(f"{relative(root, folder)}/{path}" for path in root_settings.get("macro-paths",
                                                                                                    ["macros"]))]
    for section in FOLDER_SECTIONS:
        own = (root_settings.get(section) or {}).get(root_name)
        if not isinstance(own, dict):
            continue
        kept = {key: value for key, value in own.items() if key.startswith("+")}
        if domain in own:
            kept[domain] = own[domain]
        settings[section] = {domain: kept}
    header = (f"# The {domain} domain's own dbt project, graduated from the mesh's root project by `mesh split`.\n"
              f"# Its products are read by the other projects through cross-project refs (ref('{domain}', ...)),\n"
              f"# its warehouse by theirs, attached read-only. The platform's shared macros come from the root.\n")
    return header + yaml.safe_dump(settings, sort_keys=False, width=110, allow_unicode=True)


def without_domain_configs(text: str, domain: str) -> str:
    """The root's dbt_project.yml text without the domain's folder config lines (one per section, as the
    platform writes them); every other line byte for byte."""
    lines = text.splitlines(keepends=True)
    kept, section, dropping = [], None, False
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if indent == 0 and stripped.strip() and not stripped.startswith("#"):
            section = stripped.split(":")[0]
        if dropping and stripped.strip() and indent > 4:  # the rest of the domain's block
            continue
        dropping = False
        if section in FOLDER_SECTIONS and indent == 4 and re.match(rf"{re.escape(domain)}\s*:", stripped):
            dropping = True
            continue
        kept.append(line)
    return "".join(kept)


def graduated_profile(root_profile: str, project: MeshProject, root: MeshProject) -> str:
    """The root's profiles.yml, its DuckDB file and masking key as a graduated project's."""
    if not DUCKDB_PATH.search(root_profile):
        raise MeshError("profiles.yml's duckdb output has no `path:` using MESH_DUCKDB_PATH; "
                        "give the new project its profile by hand")
    own = relative(project.warehouse, project.root)
    text = DUCKDB_PATH.sub(lambda m: f"{m['indent']}path: {own}", root_profile, count=1)
    spark = relative(root.root / "warehouse" / "spark", project.root)  # one metastore: the root's
    text = text.replace("'warehouse/spark'", f"'{spark}'")
    key = relative(root.warehouse, project.root) + ".pii-key"
    text = KEY_FILE.sub(lambda m: f"{m['indent']}demo_key_file: {key}  # the root's: masked keys join", text,
                        count=1)
    return f"# The {project.name} project's profile, written by `mesh split` from the root's.\n" + text


def with_attached(profile: str, project: MeshProject, others: list[MeshProject]) -> str:
    """The profile with the other projects' DuckDB files attached read-only (the block rewritten in place)."""
    profile = re.sub(rf"\n[ ]*{re.escape(ATTACH_START)}.*?{re.escape(ATTACH_END)}[^\n]*", "", profile,
                     flags=re.DOTALL)
    match = re.search(r"^(?P<indent>[ ]+)path: .*$", profile, re.MULTILINE)
    if match is None or not others:
        return profile
    indent = match["indent"]
    lines = [f"{indent}{ATTACH_START}", f"{indent}attach:"]
    lines += [f"{indent}  - {{path: {relative(other.warehouse, project.root)}, alias: {other.database}, "
              f"read_only: true}}" for other in others]
    lines.append(f"{indent}{ATTACH_END}")
    return profile[:match.end()] + "\n" + "\n".join(lines) + profile[match.end():]


def loom_config(project: MeshProject, others: list[MeshProject]) -> str:
    """dbt-loom's configuration: the other projects' manifests, of each only the nodes it owns (a manifest also
    holds the nodes it injected, which may be stale copies); optional: a project not yet parsed leaves its
    consumers' refs to it unresolved, and those domains are left out until it is."""
    manifests = [{"name": other.name, "type": "file",
                  "config": {"path": relative(other.manifest_path, project.root)},
                  "included_packages": [other.name], "optional": True} for other in others]
    return ("# dbt-loom (written by `mesh split`): the manifests whose public models this project's "
            "cross-project refs resolve to.\n" + yaml.safe_dump({"manifests": manifests}, sort_keys=False))
