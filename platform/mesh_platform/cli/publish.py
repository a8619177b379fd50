"""`mesh publish`: the public data products alone (masked), in a DuckDB file of their own, for CI to hand on."""

from __future__ import annotations

from pathlib import Path

from .session import open_session


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "publish", parents=[common], help="a DuckDB file of the public data products only, for CI to share",
        description="Copy every public data product (each version) out of the warehouse into a new DuckDB file: "
                    "no raw data, no private model. Refused while a product publishes personal data unmasked.")
    parser.add_argument("--output", type=Path, help="the file to write (default: target/products.duckdb)")
    parser.add_argument("--target", "-t", help="dbt target whose DuckDB warehouse to read (default: duckdb)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..check.context import CheckContext
    from ..console import say
    from ..publish.products import product_relations, publish_products, refuse_personal_data
    from ..warehouse import duckdb_columns, duckdb_path

    session = open_session(args)
    project = session.project
    warehouse = duckdb_path(project, args.target)
    output = (args.output or project.target_dir / "products.duckdb").resolve()
    ctx = CheckContext(session.compiled_manifest(), project.root, warehouse=lambda: duckdb_columns(warehouse))
    facts = ctx.facts
    refuse_personal_data({facts.label(node.unique_id): ctx.pii_flow.pii[node.unique_id]
                          for node in facts.products if ctx.pii_flow.pii.get(node.unique_id)})
    published = publish_products(warehouse, product_relations(session.mesh()), output)
    rows = sum(count for _, count in published.relations)
    say(f"Published {len(published.relations)} data product relations ({rows:,} rows) to "
        f"{project.relative(published.path)}: public products only, personal data masked.")
    return 0
