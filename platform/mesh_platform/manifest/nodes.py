"""What one manifest entry says, read the one way every feature reads it."""

from __future__ import annotations

import re
from typing import Any

from .schema import Column, Node

DEFAULT_ACCESS = "protected"  # dbt's default for a model that declares none
MASKING_MACRO = "mask_pii"  # the dbt macro; it compiles to masking.MASKING_FUNCTION
MASKED = re.compile(MASKING_MACRO + r"\s*\((?:[^()]|\([^()]*\))*\)\s*}}\s*as\s+\"?(\w+)", re.IGNORECASE)


def access(node: Any) -> str:
    """A model's access: its own, else its config's, else dbt's default."""
    return node.get("access") or (node.get("config") or {}).get("access") or DEFAULT_ACCESS


def meta(node: Any) -> dict:
    """A node's meta (config's, as dbt 1.10+ writes it, else the node's own)."""
    return (node.get("config") or {}).get("meta") or node.get("meta") or {}


def version_text(node: Any) -> str | None:
    """A model's version as text ("1"), None when it is not versioned."""
    version = node.get("version")
    return None if version is None else str(version)


def is_latest(node: Any) -> bool:
    """An unversioned model, or the version its `latest_version` names."""
    latest = node.get("latest_version")
    return node.get("version") is None or latest is None or str(latest) == str(node.get("version"))


def label(node: Any) -> str:
    """How a node is named in messages: `name`, `name.v2`, or `source system.table`."""
    return format_label(node.get("resource_type"), node.get("name"), node.get("version"), node.get("source_name"))


def format_label(resource_type: str | None, name: str, version: Any, source_name: str | None) -> str:
    if resource_type == "source":
        return f"source {source_name}.{name}"
    return name + (f".v{version}" if version is not None else "")


def relation_key(relation_name: str | None) -> str | None:
    """`"db"."schema"."table"` -> `schema.table`, lower-cased: how relations are compared."""
    if not relation_name:
        return None
    parts = [part.strip('"`[] ').lower() for part in relation_name.split(".")]
    return ".".join(parts[-2:])


def relation(node: Any) -> str | None:
    """`schema.identifier` of a node's relation as written (case kept, no catalog: DuckDB names the catalog
    after its file, which may be a copy); None for what has no relation (ephemeral models, tests)."""
    name = node.get("relation_name")
    if not name:
        return None
    return ".".join(part.strip('"`') for part in name.split(".")[-2:])


def relation_sql(node: Any) -> str | None:
    """The relation as SQL names it in the warehouse (`"schema"."identifier"`, quoted as the adapter quotes it),
    without the catalog; None for what has no relation."""
    name = node.get("relation_name")
    return ".".join(name.split(".")[-2:]) if name else None


def column_flags(column: Any) -> dict:
    """A column's meta, its config's over its own (`pii`, `masked`, ...)."""
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


def is_pii(column: Column) -> bool:
    tags = column.config.meta
    return bool(tags["pii"] if "pii" in tags else column.meta.get("pii"))


def pii_columns(node: Node) -> tuple[str, ...]:
    """The columns tagged `pii`, lower-cased."""
    return tuple(column.name.lower() for column in node.columns.values() if is_pii(column))


def primary_key(node: Any) -> list[str]:
    """The primary-key columns a model declares, as a model constraint or on its columns."""
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "primary_key":
            return list(constraint.get("columns") or [])
    return [column["name"] for column in (node.get("columns") or {}).values()
            if any(c.get("type") == "primary_key" for c in column.get("constraints") or [])]


def masked_columns(raw_code: str) -> set[str]:
    """Columns a model computes as `{{ mask_pii(...) }} as <column>`, lower-cased."""
    if MASKING_MACRO not in (raw_code or ""):
        return set()
    return {name.lower() for name in MASKED.findall(raw_code)}


def parents(node: Any) -> list[str]:
    return list((node.get("depends_on") or {}).get("nodes") or [])


def text(value: Any) -> str:
    """Free text as one line (descriptions span lines in YAML)."""
    return " ".join(str(value or "").split())
