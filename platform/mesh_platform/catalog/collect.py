"""Everything the catalog shows, gathered once: the manifest's facts, the rules' findings, the platform's record
of the builds (the nightly's reports), what the warehouse holds, the monolith's burn-down, and each product's ODCS
contract."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import MeshError, one_line
from ..legacy.status import LegacyStatus
from ..manifest import Manifest, Mesh
from ..nightly.results import NightlyRun
from ..project import Project
from .builds import BuildRecord, parse_time, read_builds
from .facts import (
    CatalogIndex,
    DomainFacts,
    ProductFacts,
    ReportFacts,
    collect_domains,
    collect_products,
    collect_reports,
    rule_findings,
)
from .lineage import DomainEdge, domain_edges
from .observations import Observations, QualityFacts, read_warehouse

PARALLEL_FROM = 200  # products: below this, worker processes cost more than they save
MAX_WORKERS = 4


@dataclass
class Catalog:
    project: str
    generated_at: dt.datetime
    domains: dict[str, DomainFacts]
    products: dict[str, ProductFacts]
    reports: dict[str, ReportFacts]
    edges: list[DomainEdge]
    observations: Observations
    builds: BuildRecord = field(default_factory=BuildRecord)
    legacy: LegacyStatus | None = None  # when the mesh has a legacy domain
    contracts: dict[str, str] = field(default_factory=dict)  # product -> ODCS YAML
    contract_errors: dict[str, str] = field(default_factory=dict)  # product -> why it has no contract file
    notes: list[str] = field(default_factory=list)
    rules_note: str | None = None  # why the rules could not run
    compiled: bool = True  # made from compiled SQL: else ACC002 (tables read by name) could not run

    @property
    def nightly(self) -> NightlyRun | None:
        """The last finished nightly run, its report."""
        return self.builds.nightly

    def night_of(self, domain: str) -> str:
        """How the domain fared in the last nightly: passed, failed, blocked, or not run."""
        result = self.nightly.domains.get(domain) if self.nightly else None
        return result.status if result else "not run"

    @property
    def models(self) -> int:
        return sum(domain.models for domain in self.domains.values())

    @property
    def tested(self) -> int:
        return sum(domain.tested for domain in self.domains.values())


def collect(mesh: Mesh, project: Project, database: Path | None, now: dt.datetime, *,
            database_note: str | None = None, contracts: bool = True) -> Catalog:
    """The catalog of the mesh; `database`: the DuckDB file, if any."""
    from ..check.context import CheckContext
    from ..check.engine import check_context, test_coverage

    rules_note = None
    from ..warehouse import duckdb_columns

    ctx = CheckContext(mesh, project.root, warehouse=lambda: duckdb_columns(database) if database else None)
    try:
        result, _ = check_context(ctx)
        findings, coverage = rule_findings(result), result.coverage
    except MeshError as error:
        findings, coverage = {}, test_coverage(ctx)
        rules_note = f"the rules could not run: {error}"
    index = CatalogIndex(mesh)
    products = collect_products(index)
    _hide_personal_data(ctx, products)
    reports = collect_reports(index)
    domains = collect_domains(index, products, reports, findings, coverage)
    edges = domain_edges(index)
    for edge in edges:
        domains[edge.downstream].upstream.append(edge.upstream)
        domains[edge.upstream].downstream.append(edge.downstream)
    observations = Observations()
    if database is not None:
        read_warehouse(database, products.values(), observations, project.relative(database))
    elif database_note:
        observations.notes.append(database_note)
    builds = read_builds(project, list(products.values()))
    _unvalidated(builds, observations)
    catalog = Catalog(mesh.project_name or project.root.name, now, domains, products, reports, edges, observations,
                      builds, rules_note=rules_note, compiled=any(node.compiled_code for node in mesh.models()),
                      notes=list(builds.notes))
    _agreements(project.root, products, now.date(), catalog.notes)
    catalog.legacy = _legacy(mesh, project, now, catalog.notes)
    if contracts:
        _contracts(mesh, project.root, products, catalog)
    return catalog


def _agreements(root: Path, products: dict[str, ProductFacts], today: dt.date, notes: list[str]) -> None:
    """Each product's access agreements (those filed in its own domain's folder: any other counts for nothing)."""
    from ..access import agreement_rows

    try:
        rows = agreement_rows(root, None, None, today)
    except MeshError as error:
        notes.append(f"access agreements not shown: {error}")
        return
    for row in rows:
        product = products.get(row["product"])
        if product is not None and product.domain == row["producer"]:
            product.agreements.append(row)


def _hide_personal_data(ctx, products: dict[str, ProductFacts]) -> None:
    """A column that carries personal data unmasked by its lineage (not only by its tag) is never sampled."""
    if not ctx.compiled:
        return
    personal = ctx.pii_flow.pii
    for product in products.values():
        leaks = personal.get(product.latest.unique_id, {})
        if leaks:
            product.columns = [replace(column, pii=True, masked=False) if column.name.lower() in leaks else column
                               for column in product.columns]


def _legacy(mesh, project: Project, now: dt.datetime, notes: list[str]):
    """The monolith's burn-down (`mesh legacy status`), when the mesh has a legacy domain."""
    from ..legacy.status import legacy_status
    from ..manifest import legacy_domain_name
    from ..ownership_log import read_log

    if legacy_domain_name(mesh.domains) is None:
        return None
    try:
        return legacy_status(mesh, read_log(project.root), now.date())
    except MeshError as error:
        notes.append(f"no burn-down: {error}")
        return None


def _unvalidated(builds: BuildRecord, observations: Observations) -> None:
    """Mark the products the last night did not validate, unless a run of mesh quality has since."""
    started = parse_time(builds.nightly.started_at) if builds.nightly else None
    for name, why in builds.unvalidated.items():
        quality = observations.quality.setdefault(name, QualityFacts())
        # mesh_quality.history's times are UTC without a zone
        if not quality.runs or started is None or quality.runs[0].run_at < started.replace(tzinfo=None):
            quality.unvalidated = why


def _contracts(mesh: Mesh, root: Path, products: dict[str, ProductFacts], catalog: Catalog) -> None:
    """Each product's ODCS contract, exported as `mesh contract export` does (and so validated against the ODCS
    schema, ~10 ms a product), from a manifest of the product's own nodes; in worker processes for many."""
    groups = {group.name: group for group in mesh.groups.values()}
    jobs = []
    for product in products.values():
        uids = [version.unique_id for version in product.versions]
        nodes = {uid: mesh.nodes[uid] for uid in uids}
        for uid in uids:  # its tests tell which columns are unique
            nodes.update((test.unique_id, test) for test in mesh.tests_of(uid))
        owner = groups.get(product.domain or "")
        jobs.append((product.name, Manifest(metadata=mesh.manifest_of(uids[0]).metadata, nodes=nodes,
                                            groups={owner.unique_id: owner} if owner else {})))
    workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(jobs) >= PARALLEL_FROM else 1
    if workers == 1:
        results = export_batch(root, jobs)
    else:
        results = {}
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for batch in pool.map(export_batch, [root] * workers, [jobs[i::workers] for i in range(workers)]):
                results.update(batch)
    for name, (text, error) in results.items():
        if text is not None:
            catalog.contracts[name] = text
        else:
            catalog.contract_errors[name] = error or "not exported"


def export_batch(root: Path, jobs: list[tuple[str, Manifest]]) -> dict[str, tuple[str | None, str | None]]:
    """(YAML, None) or (None, why not) for each (product, its own manifest)."""
    from ..contracts.export import export_contract, to_yaml

    results: dict[str, tuple[str | None, str | None]] = {}
    for name, narrow in jobs:
        try:
            results[name] = (to_yaml(export_contract(Mesh(narrow), root, name)), None)
        except MeshError as error:
            results[name] = (None, one_line(error, 300))
    return results
