"""`mesh quality`: run the data products' Great Expectations suites in the warehouse."""

from __future__ import annotations

import json


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "quality", parents=[common], help="run the data products' quality suites (Great Expectations)",
        description="Validate each public product against its contract and its <product>.quality.yml, in the "
                    "DuckDB warehouse; record the results in mesh_quality.history. Exit 1 on a failure.")
    parser.add_argument("--domain", help="only this domain's products")
    parser.add_argument("--product", help="only this product")
    parser.add_argument("--target", "-t", help="dbt target whose warehouse to check (default: duckdb)")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..console import print_table, say
    from ..quality.runner import HISTORY_TABLE, run_quality
    from ..warehouse import duckdb_path
    from .session import hold_warehouse, open_session

    session = open_session(args)
    with hold_warehouse(session, "mesh quality"):
        quality = run_quality(session.project.root, session.mesh(), duckdb_path(session.project, args.target),
                              args.domain, args.product)
    if args.format == "json":
        say(json.dumps({"run_id": quality.run_id, "run_at": quality.run_at.isoformat(), "results": [
            {"domain": o.domain, "product": o.product, "owner": o.owner, "expectation": o.spec.type,
             "kwargs": o.spec.kwargs, "origin": o.spec.origin, "success": o.success, "observed": o.observed,
             "failing_rows": o.failing_rows} for o in quality.outcomes]}, indent=2, default=str))
        return 1 if quality.failures else 0
    products = {o.product for o in quality.outcomes}
    if quality.failures:
        print_table("Failed expectations", ["Domain", "Product", "Owner", "Expectation", "Observed", "Failing rows"],
                    [[o.domain, o.product, o.owner, o.spec.label(), o.observed,
                      "" if o.failing_rows is None else o.failing_rows] for o in quality.failures])
    say(f"{len(quality.outcomes)} expectations on {len(products)} products: {len(quality.failures)} failed. "
        f"Run {quality.run_id} recorded in {HISTORY_TABLE}.")
    return 1 if quality.failures else 0
