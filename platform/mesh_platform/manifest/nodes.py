"""What one manifest entry says, read the one way every feature reads it."""

from __future__ import annotations

import re
from typing import Any

from ..masking import MASKING_MACRO
from .schema import Column, Node

DEFAULT_ACCESS = "protected"  # dbt's default for a model that declares none
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


# Jinja that runs SQL while dbt compiles a node, outside its lineage: dbt's run_query, statement blocks, the
# adapter's execute, and the packages' helpers built on them.
JINJA_QUERIES = re.compile(r"\b(run_query|adapter\s*\.\s*execute|get_query_results_as_dict|get_column_values)\s*\("
                           r"|\{%-?\s*call\s+(statement)\b")
QUOTED_SQL = re.compile(r"""(?:run_query|execute)\s*\(\s*(?P<quote>["'])(?P<sql>(?:(?!(?P=quote)).)*?)(?P=quote)""",
                        re.DOTALL)


def jinja_queries(raw_code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the ways the node's Jinja runs SQL of its own, e.g. `run_query`; the SQL of those given as a plain
    string literal, which can be checked like compiled SQL)."""
    if not raw_code or not any(word in raw_code for word in ("run_query", "execute", "statement", "get_")):
        return (), ()
    kinds = sorted({" ".join((found[0] or f"call {found[1]}").split()) for found in JINJA_QUERIES.findall(raw_code)})
    literals = tuple(match["sql"] for match in QUOTED_SQL.finditer(raw_code)
                     if "{{" not in match["sql"] and "{%" not in match["sql"])
    return tuple(kinds), literals


def parents(node: Any) -> list[str]:
    return list((node.get("depends_on") or {}).get("nodes") or [])


def text(value: Any) -> str:
    """Free text as one line (descriptions span lines in YAML)."""
    return " ".join(str(value or "").split())
