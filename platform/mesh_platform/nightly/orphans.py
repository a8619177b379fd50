"""Relations no node builds any more (a product deleted, a version retired, a model renamed, a test removed whose
failures were stored): dropped from the platform's own schemas, so what was removed from the project leaves no
table (and no personal data) behind.

The platform's schemas are those the project's nodes are built in (and tests store their failures in), less the
target's default schema (where other tools may keep tables of their own) and those of domains left out of this
run (quarantined). The listing and dropping is dbt's own (the `mesh_drop_orphans` macro), so it works on every
adapter.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from ..dbt_session import DbtSession, describe_failure
from ..errors import DbtFailure
from ..manifest import Mesh
from ..manifest.nodes import relation_key

PREFIX = "mesh-orphans:"
BUILT_KINDS = ("model", "seed", "snapshot")


@dataclass(frozen=True)
class Orphan:
    relation: str  # schema.identifier
    type: str  # table, view, ...
    domain: str | None  # the domain whose nodes are built in that schema


def drop_orphans(session: DbtSession, mesh: Mesh, spared: Collection[str] = (), dry_run: bool = False) -> list[Orphan]:
    """Drop (or, with `dry_run`, only find) the relations in the platform's schemas that no node owns; `spared`:
    domains whose schemas (those their nodes are built in, and `<domain>`, `raw_<domain>`, `<domain>_audit`) are
    not touched this time (a quarantined domain has no nodes in the manifest to say where it builds)."""
    from ..warehouse import target_credentials

    _, credentials = target_credentials(session.project, session.target)
    default_schema = str(getattr(credentials, "schema", "") or "").lower()
    keep: set[str] = set()
    schema_domains: dict[str, set[str]] = {}
    for uid, node in mesh.nodes.items():
        stored = node.resource_type == "test" and node.relation_name  # a test's stored failures (store_failures)
        if (node.resource_type not in BUILT_KINDS and not stored) or mesh.is_package_node(uid):
            continue
        key = relation_key(node.relation_name)
        if key:
            keep.add(key)
        if node.schema:
            schema_domains.setdefault(node.schema.lower(), set()).add(mesh.domain_of(uid) or "")
    spared_schemas = {name.lower() for domain in spared for name in (domain, f"raw_{domain}", f"{domain}_audit")}
    schemas = sorted(schema for schema, domains in schema_domains.items()
                     if schema != default_schema and not domains & set(spared) and schema not in spared_schemas)
    if not schemas:
        return []
    found: list[dict] = []

    def listen(event) -> None:
        message = getattr(event.info, "msg", "") or ""
        if event.info.name == "JinjaLogInfo" and message.startswith(PREFIX):
            found.extend(json.loads(message[len(PREFIX):]))

    args = json.dumps({"schemas": schemas, "keep": sorted(keep), "dry_run": dry_run})
    result = session.invoke(["run-operation", "mesh_drop_orphans", "--args", args], callbacks=[listen])
    if not result.success:
        raise DbtFailure(f"could not list the relations no node owns: {describe_failure(result, session.project)}")
    owner = {schema: next(iter(domains - {""}), None) if len(domains - {""}) == 1 else None
             for schema, domains in schema_domains.items()}
    return [Orphan(entry["relation"], entry["type"], owner.get(entry["relation"].split(".", 1)[0]))
            for entry in found]
