"""Access: what dbt's ref() checks leave open — non-public use across domains, raw names, foreign sources."""

from __future__ import annotations

from ..context import CheckContext, parents
from ..registry import Violation, rule
from ..sql_relations import relation_key, undeclared_relations


@rule("ACC001")
def cross_domain_use_is_public(ctx: CheckContext):
    """A node uses another domain's model only when that model is public.

    Rationale: within one dbt project `protected` means "anyone in the project", and dbt checks access
    only for models; a test or an analysis can still reach into another domain's internals.
    Anti-pattern: an analytics test joining collections' private staging model.
    Best practice: depend on the other domain's published data product (`access: public`).
    """
    for node in ctx.consumers:
        uid, domain = node["unique_id"], ctx.domain_of[node["unique_id"]]
        for parent in parents(node):
            owner = ctx.domain_of.get(parent)
            target = ctx.nodes.get(parent)
            if not parent.startswith("model.") or owner is None or owner == domain or ctx.is_public(target):
                continue
            yield Violation("ACC001", uid,
                            f"{node['resource_type']} {ctx.label(uid)} ({domain or 'no domain'}) uses "
                            f"{ctx.label(parent)} of domain {owner}, which is not public; use a public "
                            f"product of {owner} instead", domain, node.get("original_file_path"), parent)


@rule("ACC002")
def reads_only_declared_relations(ctx: CheckContext):
    """Compiled SQL reads only the relations of the node's own ref() and source() dependencies.

    Rationale: a table named in plain SQL is invisible to dbt's lineage, access checks and build order.
    Anti-pattern: `select * from main.some_table` or `from "mesh"."funding"."advances_v1"` in a model.
    Best practice: always `{{ ref('model') }}` or `{{ source('system', 'table') }}`.
    Scope: hand-written SQL (models, analyses, snapshots, singular tests); a generic test's SQL is dbt's
    macro over the node it tests. Needs compiled SQL (`dbt compile`); a parse-only manifest has none.
    """
    dialect = (ctx.manifest.get("metadata") or {}).get("adapter_type") or "duckdb"
    relations = {uid: relation_key(node.get("relation_name")) for uid, node in (*ctx.nodes.items(),
                                                                                 *ctx.sources.items())}
    for node in ctx.consumers:
        code = node.get("compiled_code")
        if not code or node.get("test_metadata"):
            continue
        allowed = {relations.get(parent) for parent in parents(node)} | {relations.get(node["unique_id"])}
        for relation in undeclared_relations(code, allowed, dialect):
            yield Violation("ACC002", node["unique_id"],
                            f"{ctx.label(node['unique_id'])} reads {relation} by name, which is not one of its "
                            f"dependencies; use ref() or source()", ctx.domain_of[node["unique_id"]],
                            node.get("original_file_path"), relation)


@rule("ACC003")
def no_foreign_sources(ctx: CheckContext):
    """A domain reads only its own raw data through source(); other domains' data through their products.

    Rationale: reading another domain's raw tables is how the monolith was built: it couples you to
    their operational schema and bypasses their contracts.
    Anti-pattern: `{{ source('disbursements', 'advances') }}` in a model outside funding.
    Best practice: `{{ ref('advances') }}`, funding's public data product.
    """
    for node in ctx.consumers:
        uid, domain = node["unique_id"], ctx.domain_of[node["unique_id"]]
        for parent in parents(node):
            source = ctx.sources.get(parent)
            owner = ctx.folder_domain(source) if source else None
            if owner and owner in ctx.domains and owner != domain:
                yield Violation("ACC003", uid,
                                f"{ctx.label(uid)} ({domain or 'no domain'}) reads {ctx.label(parent)}, raw data of "
                                f"domain {owner}; use the public products of {owner} instead",
                                domain, node.get("original_file_path"), parent)
