"""Run each data product's quality suite in the warehouse; record every result in a history table."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..child_process import die_with_parent
from ..errors import MeshError, one_line
from ..manifest import Mesh, Node
from ..manifest.nodes import relation_key, relation_sql
from .suites import COLUMN_TYPES, ExpectationSpec, build, contract_expectations, load_suite, suite_path, type_mismatches

HISTORY_TABLE = "mesh_quality.history"
SANDBOX = {"read_only": True, "config": {"enable_external_access": False, "lock_configuration": True}}


@dataclass(frozen=True)
class Outcome:
    domain: str
    product: str
    owner: str
    spec: ExpectationSpec
    success: bool
    observed: str
    failing_rows: int | None


@dataclass
class QualityRun:
    run_id: str
    run_at: dt.datetime
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


def products_in_scope(mesh: Mesh, domain: str | None, product: str | None) -> list[Node]:
    """The latest version of each public model, narrowed to a domain or one product."""
    if domain is not None:
        mesh.require_domain(domain)
    latest = mesh.latest_products(domain)
    if product is not None:
        if product not in latest:
            raise MeshError(f"unknown data product '{product}'; the products are: {', '.join(sorted(latest))}")
        return [latest[product]]
    return [latest[name] for name in sorted(latest)]


def run_quality(root: Path, mesh: Mesh, warehouse: Path, domain: str | None = None,
                product: str | None = None, only: set[str] | None = None) -> QualityRun:
    """Validate every product in scope with GX in the DuckDB warehouse, then append the results to history.

    `only`: unique ids of the products to validate (default: every product in scope)."""
    products = [node for node in products_in_scope(mesh, domain, product)
                if only is None or node.unique_id in only]
    suites = {node.unique_id: contract_expectations(node)
              + load_suite(suite_path(root, node), root, relation_key(node.relation_name) or "")
              for node in products}  # every suite file is checked before anything runs
    if not warehouse.is_file():
        raise MeshError(f"no warehouse at {warehouse}; build the mesh first (`mesh build`)")
    run = QualityRun(uuid.uuid4().hex[:12], dt.datetime.now(dt.UTC).replace(tzinfo=None))
    checks = []
    for node in products:
        domain = mesh.domain_of(node.unique_id) or ""
        owner = mesh.domains[domain].team_handle if domain in mesh.domains else ""
        # schema.table without the catalog: DuckDB names the catalog after the file, which may be a copy
        checks.append(ProductCheck(domain, node.name, owner, relation_sql(node) or node.name,
                                   tuple(suites[node.unique_id])))
    if not checks:
        return run
    # GX runs in a child process: its engine and DuckDB's connection cache die with it, so this process
    # (and dbt after it, in `mesh nightly`) never finds the warehouse held open. It dies with this process too:
    # a killed `mesh quality` leaves no orphan holding the DuckDB file.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=die_with_parent,
                                                initargs=(os.getpid(),)) as pool:
        run.outcomes = pool.submit(validate_in_warehouse, str(warehouse), run, checks).result()
    record_history(warehouse, run)  # here, once the sandboxed child has let go of the warehouse
    return run


@dataclass(frozen=True)
class ProductCheck:
    domain: str
    product: str
    owner: str
    relation: str
    specs: tuple[ExpectationSpec, ...]


def validate_in_warehouse(warehouse: str, run: QualityRun, checks: list[ProductCheck]) -> list[Outcome]:
    """In the child process: validate every product with GX, on a sandboxed connection (SANDBOX)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from . import gx_duckdb  # noqa: F401  (registers the DuckDB datasource type)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # the suites run sandboxed: read-only, no files or network (no COPY ... TO, no ATTACH of other files, no
    # extensions), the settings locked so SQL cannot lift that; the history is written afterwards, apart
    datasource = context.data_sources.add_mesh_duckdb(name="warehouse", connection_string=f"duckdb:///{warehouse}",
                                                      kwargs={"connect_args": SANDBOX})
    engine = datasource.get_execution_engine()
    outcomes = []
    try:
        for check in checks:
            asset = datasource.add_query_asset(name=check.product, query=f"select * from {check.relation}")
            batch = asset.add_batch_definition_whole_table("whole table").get_batch()
            # GX does not keep the suite's order: each expectation carries its index, and gets it back
            suite = gx.ExpectationSuite(name=check.product, expectations=[
                build(spec, meta={"mesh_index": index}) for index, spec in enumerate(check.specs)
                if spec.type != COLUMN_TYPES])
            results = {result.expectation_config.meta["mesh_index"]: result for result in batch.validate(suite).results}
            for index, spec in enumerate(check.specs):
                if spec.type == COLUMN_TYPES:
                    with engine.get_connection() as connection:
                        outcomes.append(_column_types(connection, check, spec))
                    continue
                result = results[index]
                outcomes.append(Outcome(check.domain, check.product, check.owner, spec, bool(result.success),
                                        *_observed(result)))
    finally:
        engine.release()
    return outcomes


def _column_types(connection, check: ProductCheck, spec: ExpectationSpec) -> Outcome:
    rows = connection.exec_driver_sql(f"describe select * from {check.relation}").fetchall()
    mismatches = type_mismatches(spec.kwargs["types"], {row[0]: row[1] for row in rows})
    return Outcome(check.domain, check.product, check.owner, spec, not mismatches,
                   "; ".join(mismatches) or "all column types as contracted", None)


def _observed(result) -> tuple[str, int | None]:
    """What was seen, as text, and how many rows broke the expectation (None when rows do not apply)."""
    if result.exception_info and result.exception_info.get("raised_exception"):
        return f"could not evaluate: {one_line(result.exception_info.get('exception_message'), 200)}", None
    found = result.result or {}
    failing = found.get("unexpected_count")
    if "observed_value" in found:
        return one_line(found["observed_value"], 200), failing
    if failing is not None:
        sample = found.get("partial_unexpected_list") or []
        shown = f"; e.g. {', '.join(map(str, sample[:3]))}" if sample else ""
        return f"{failing} of {found.get('element_count')} rows{shown}", failing
    return "", None


def record_history(warehouse: Path, run: QualityRun) -> None:
    """Append the run's results to mesh_quality.history in the DuckDB file (created on first use), for trends."""
    import duckdb

    rows = [(run.run_id, run.run_at, o.domain, o.product, o.spec.label(), o.spec.column or None, o.success,
             o.observed, o.failing_rows) for o in run.outcomes]
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema if not exists mesh_quality")
        connection.execute(f"""create table if not exists {HISTORY_TABLE} (
            run_id varchar, run_at timestamp, domain varchar, product varchar, expectation varchar,
            column_name varchar, success boolean, observed_value varchar, failing_rows bigint)""")
        if rows:
            connection.executemany(f"insert into {HISTORY_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
