"""Access: what dbt's ref() checks leave open — non-public use across domains, raw names, foreign sources."""

from __future__ import annotations

from ..context import CheckContext
from ..registry import Violation, rule
from ..relation_cache import sql_key
from ..sql_relations import undeclared


@rule("ACC001")
def cross_domain_use_is_public(ctx: CheckContext):
    """A node uses another domain's model only when that model is public.

    Rationale: within one dbt project `protected` means "anyone in the project", and dbt checks access
    only for models; a test or an analysis can still reach into another domain's internals.
    Anti-pattern: an analytics test joining collections' private staging model.
    Best practice: depend on the other domain's published data product (`access: public`).
    """
    facts = ctx.facts
    guarded = facts.guarded_models
    for node in facts.consumers:
        for parent in node.foreign_parents:
            owner = guarded.get(parent)
            if owner is None or owner == node.domain:
                continue
            yield Violation("ACC001", node.unique_id,
                            f"{node.resource_type} {node.label} ({node.domain or 'no domain'}) uses "
                            f"{facts.label(parent)} of domain {owner}, which is not public; use a public "
                            f"product of {owner} instead", node.domain, node.path, parent)


@rule("ACC002", needs_compiled_sql=True)
def reads_only_declared_relations(ctx: CheckContext):
    """Compiled SQL reads only the relations of the node's own ref() and source() dependencies.

    Rationale: a table named in plain SQL is invisible to dbt's lineage, access checks and build order.
    Anti-pattern: `select * from main.some_table` or `from "mesh"."funding"."advances_v1"` in a model.
    Best practice: always `{{ ref('model') }}` or `{{ source('system', 'table') }}`.
    Scope: hand-written SQL (models, analyses, snapshots, singular tests); a generic test's SQL is dbt's
    macro over the node it tests. Needs compiled SQL (`dbt compile`); a parse-only manifest has none.
    SQL no parser can read is reported too (a warning unless mesh.yml sets ACC002's severity): what cannot
    be read cannot be said to read only its dependencies.
    """
    facts = ctx.facts
    statements = {node.sql_key: node.sql for node in facts.consumers if node.sql and node.sql_key}
    jinja = {sql_key(facts.dialect, sql): sql for node in facts.consumers for sql in node.jinja_sql}
    read = ctx.tables_read({**statements, **jinja}, facts.dialect)
    for node in facts.consumers:
        for sql in node.jinja_sql:  # the SQL its Jinja runs while it compiles reads only its dependencies too
            for relation in undeclared(read[sql_key(facts.dialect, sql)] or (), node.readable or (node.relation,)):
                yield Violation("ACC002", node.unique_id, f"{node.label} runs SQL from Jinja that reads {relation} "
                                f"by name, which is not one of its dependencies", node.domain, node.path,
                                f"jinja:{relation}")
        if not (node.sql and node.sql_key):
            continue
        tables = read[node.sql_key]
        if tables is None:
            yield Violation("ACC002", node.unique_id, f"{node.label}: its compiled SQL could not be parsed "
                            f"({facts.dialect}), so the tables it reads are unknown; fix the SQL, or waive ACC002 "
                            f"for it with a reason", node.domain, node.path, "unparsed", severity="warn")
            continue
        for relation in undeclared(tables, node.readable):
            yield Violation("ACC002", node.unique_id, f"{node.label} reads {relation} by name, which is not one of "
                            f"its dependencies; use ref() or source()", node.domain, node.path, relation)


@rule("ACC005")
def no_queries_from_jinja(ctx: CheckContext):
    """A domain's models, tests and analyses run no SQL of their own from Jinja while dbt compiles them.

    Rationale: `run_query`, `statement` blocks and `adapter.execute` run while dbt compiles, outside the
    node's lineage, access checks and contracts: their results go to dbt's log and the compiled SQL, and the
    rules that read compiled SQL never see what they read.
    Anti-pattern: `{% set rows = run_query("select email from raw_merchants.crm__merchants") %}` in a model.
    Best practice: read data with `ref()`/`source()` in the model's SQL; a macro of the platform that needs to
    (e.g. incremental_window_start reading `this`) is reviewed with the macros; a domain that really must is
    waived in mesh.yml with a reason.
    """
    for node in ctx.facts.consumers:
        if node.jinja_queries and node.domain is not None:
            yield Violation("ACC005", node.unique_id, f"{node.label} runs SQL from Jinja while it compiles "
                            f"({', '.join(node.jinja_queries)}); read data with ref() or source() in its SQL",
                            node.domain, node.path)


@rule("ACC003")
def no_foreign_sources(ctx: CheckContext):
    """A domain reads only its own raw data through source(); other domains' data through their products.

    Rationale: reading another domain's raw tables is how the monolith was built: it couples you to
    their operational schema and bypasses their contracts.
    Anti-pattern: `{{ source('disbursements', 'advances') }}` in a model outside funding.
    Best practice: `{{ ref('advances') }}`, funding's public data product.
    """
    facts = ctx.facts
    owners = facts.domain_sources
    for node in facts.consumers:
        for parent in node.foreign_parents:
            owner = owners.get(parent)
            if owner and owner != node.domain:
                yield Violation("ACC003", node.unique_id,
                                f"{node.label} ({node.domain or 'no domain'}) reads {facts.label(parent)}, raw data of "
                                f"domain {owner}; use the public products of {owner} instead",
                                node.domain, node.path, parent)
