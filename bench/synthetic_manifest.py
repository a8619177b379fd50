"""Synthetic mesh manifests at scale: the reference mesh's real manifest cloned into many domains.

Each clone `i` renames every domain `d` to `d_c<i>` (groups, folders, schemas) and every node and source
to `<name>_c<i>`, rewiring dependencies, tests and compiled SQL, so the result is a valid manifest of a
mesh with (clones x 7) domains that dbt-bouncer and `mesh check` can both read.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections import defaultdict
from pathlib import Path

KEEP_TESTS = {"unique", "not_null", None}  # key tests and singular tests: about two tests per model


def _renamer(base: dict, suffix: str):
    domains = {group["name"] for group in base["groups"].values()}
    schemas = domains | {f"raw_{d}" for d in domains}
    quoted = re.compile(r'"(' + "|".join(map(re.escape, sorted(schemas))) + r')"\.')

    def uid(old: str) -> str:
        parts = old.split(".")
        if parts[0] == "source":
            return ".".join([*parts[:2], parts[2] + suffix, parts[3]])
        if parts[0] == "model" and len(parts) == 4:  # versioned: model.pkg.name.v1
            return ".".join([*parts[:2], parts[2] + suffix, parts[3]])
        return ".".join([*parts[:2], parts[2] + suffix, *parts[3:]])

    def path(old: str) -> str:
        parts = old.split("/")
        if len(parts) > 2 and parts[1] in domains:
            parts[1] += suffix
        return "/".join(parts)

    def sql(text: str | None) -> str | None:
        return quoted.sub(lambda m: f'"{m.group(1)}{suffix}".', text) if text else text

    return uid, path, sql


def _clone_node(node: dict, uid, path, sql, suffix: str) -> dict:
    node = copy.deepcopy(node)
    node["unique_id"] = uid(node["unique_id"])
    if node["resource_type"] == "source":
        node["source_name"] += suffix
    else:
        node["name"] += suffix
    for key in ("original_file_path", "path"):
        if key in node:
            node[key] = path(node[key])
    for key in ("relation_name", "compiled_code"):
        node[key] = sql(node.get(key))
    if node.get("schema"):
        node["schema"] += suffix
    if node.get("group"):
        node["group"] += suffix
    config = node.get("config") or {}
    if config.get("group"):
        config["group"] += suffix
    if config.get("schema"):
        config["schema"] += suffix
    depends = node.get("depends_on") or {}
    if depends.get("nodes"):
        depends["nodes"] = [uid(parent) for parent in depends["nodes"]]
    if node.get("attached_node"):
        node["attached_node"] = uid(node["attached_node"])
    if node.get("refs"):
        node["refs"] = [dict(ref, name=ref["name"] + suffix) for ref in node["refs"]]
    if node.get("sources"):
        node["sources"] = [[source + suffix, table] for source, table in node["sources"]]
    if node.get("fqn"):
        node["fqn"] = [*node["fqn"][:-1], node["fqn"][-1] + suffix]
    return node


def synthesize(base: dict, models: int) -> dict:
    """A manifest of at least `models` models, cloned from `base` (a real dbt manifest)."""
    base = copy.deepcopy(base)
    base["nodes"] = {uid: node for uid, node in base["nodes"].items()
                     if node["resource_type"] != "test" or (node.get("test_metadata") or {}).get("name") in KEEP_TESTS}
    per_clone = sum(node["resource_type"] == "model" for node in base["nodes"].values())
    result = {key: base[key] for key in base if key not in ("nodes", "sources", "groups", "parent_map", "child_map")}
    result.update(nodes={}, sources={}, groups={})
    for index in range(math.ceil(models / per_clone)):
        suffix = f"_c{index}"
        uid, path, sql = _renamer(base, suffix)
        for node in base["nodes"].values():
            clone = _clone_node(node, uid, path, sql, suffix)
            result["nodes"][clone["unique_id"]] = clone
        for source in base["sources"].values():
            clone = _clone_node(source, uid, path, sql, suffix)
            result["sources"][clone["unique_id"]] = clone
        for group in base["groups"].values():
            clone = dict(group, name=group["name"] + suffix, unique_id=uid(group["unique_id"]),
                         original_file_path=path(group["original_file_path"]), path=path(group["path"]))
            result["groups"][clone["unique_id"]] = clone
    parents = {uid: list((node.get("depends_on") or {}).get("nodes") or []) for uid, node in result["nodes"].items()}
    children = defaultdict(list)
    for child, ups in parents.items():
        for parent in ups:
            children[parent].append(child)
    result["parent_map"] = parents
    result["child_map"] = {uid: children.get(uid, []) for uid in (*result["nodes"], *result["sources"])}
    return result


def write_manifest(manifest: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


def counts(manifest: dict) -> tuple[int, int]:
    kinds = [node["resource_type"] for node in manifest["nodes"].values()]
    return kinds.count("model"), kinds.count("test")
