"""What the mesh says, shaped for the catalog: domains, data products, reports, consumers.

Pure functions over the manifest model (mesh_platform.manifest) and the check's findings, so they are tested on
small fixture manifests. The warehouse's facts are in `observations`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..manifest import Domain, Mesh, Node
from ..manifest.nodes import column_flags, is_latest, meta, primary_key, relation, text, version_text

READER_KINDS = ("model", "snapshot", "analysis", "exposure")


@dataclass(frozen=True)
class Link:
    """A node the catalog mentions, with its owning domain and the site page that shows it."""

    unique_id: str
    label: str
    kind: str  # product, model, source, exposure, snapshot, analysis, seed
    domain: str | None
    page: str | None  # site-relative path, e.g. products/advances.html
    detail: str = ""


@dataclass(frozen=True)
class ColumnFacts:
    name: str
    data_type: str
    description: str
    constraints: tuple[str, ...]
    tests: tuple[str, ...]
    pii: bool = False
    masked: bool = False

    @property
    def hidden(self) -> bool:
        """Personal data published unmasked: the catalog never shows its values."""
        return self.pii and not self.masked


@dataclass(frozen=True)
class VersionFacts:
    unique_id: str
    version: str | None
    latest: bool
    deprecation_date: str | None
    relation: str | None  # schema.identifier in the warehouse


@dataclass
class ProductFacts:
    name: str
    domain: str | None
    description: str
    path: str
    versions: list[VersionFacts]
    columns: list[ColumnFacts]
    constraints: tuple[str, ...]  # model-level constraints
    contract_enforced: bool
    primary_key: tuple[str, ...]
    sla: dict
    tests: tuple[str, ...]  # tests on the product that are not about one column
    upstream: list[Link] = field(default_factory=list)
    consumers: list[Link] = field(default_factory=list)
    agreements: list[dict] = field(default_factory=list)  # its access agreements (access.listing's rows)

    @property
    def latest(self) -> VersionFacts:
        return next((v for v in self.versions if v.latest), self.versions[-1])

    @property
    def page(self) -> str:
        return product_page(self.name)

    @property
    def max_staleness_hours(self) -> float | None:
        value = self.sla.get("max_staleness_hours")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass
class ReportFacts:
    """An exposure: a report when it declares a chart (`meta.chart`), else a named consumer."""

    unique_id: str
    name: str
    label: str
    type: str
    maturity: str
    description: str
    owner_name: str
    owner_email: str
    domain: str | None
    url: str | None
    depends_on: list[Link]
    chart: dict | None
    path: str = ""

    @property
    def page(self) -> str:
        return report_page(self.name)


@dataclass(frozen=True)
class RuleFinding:
    code: str
    severity: str
    status: str  # open, waived or baselined
    message: str
    path: str | None
    reason: str = ""


@dataclass
class DomainFacts:
    domain: Domain
    products: list[str] = field(default_factory=list)
    models: int = 0
    layers: dict[str, int] = field(default_factory=dict)
    tested: int = 0
    findings: list[RuleFinding] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.domain.name

    @property
    def page(self) -> str:
        return domain_page(self.name)

    @property
    def coverage(self) -> float | None:
        return self.tested / self.models if self.models else None

    @property
    def open_errors(self) -> list[RuleFinding]:
        return [f for f in self.findings if f.status == "open" and f.severity == "error"]

    @property
    def open_warnings(self) -> list[RuleFinding]:
        return [f for f in self.findings if f.status == "open" and f.severity != "error"]


def product_page(name: str) -> str:
    return f"products/{name}.html"


def domain_page(name: str) -> str:
    return f"domains/{name}.html"


def report_page(name: str) -> str:
    return f"reports/{name}.html"


class CatalogIndex:
    """The mesh as the catalog links it: each node's page, and the products' upstream inputs."""

    def __init__(self, mesh: Mesh):
        self.mesh = mesh
        self.nodes, self.sources, self.exposures = mesh.nodes, mesh.sources, mesh.exposures
        self.reports = {uid for uid, exposure in self.exposures.items() if exposure_chart(exposure) is not None}
        self._upstream: dict[str, frozenset[str]] = {}

    def domain_of(self, uid: str) -> str | None:
        return self.mesh.domain_of(uid)

    def is_product(self, uid: str) -> bool:
        return self.mesh.is_product(uid)

    def children(self, uid: str) -> list[str]:
        """What reads the node: models, snapshots, analyses and exposures (not tests)."""
        return [child for child in self.mesh.children(uid)
                if (self.mesh.node(child) or {}).get("resource_type") in READER_KINDS]

    def link(self, uid: str, detail: str = "") -> Link:
        """How the catalog names and links to any node (a missing one is named by its id, with no page)."""
        domain = self.domain_of(uid)
        if uid in self.exposures:
            exposure = self.exposures[uid]
            page = report_page(exposure.name) if uid in self.reports else (domain and domain_page(domain))
            return Link(uid, exposure.label or exposure.name, "exposure", domain, page, detail)
        node = self.nodes.get(uid) or self.sources.get(uid)
        if node is None:
            return Link(uid, uid, "missing", None, None, detail)
        label = self.mesh.label(uid)
        if self.is_product(uid):
            return Link(uid, label, "product", domain, product_page(node.name), detail)
        return Link(uid, label, node.resource_type or "model", domain, domain and domain_page(domain), detail)

    def upstream_inputs(self, uid: str) -> frozenset[str]:
        """The nearest data products and sources a node reads, through any private models in between."""
        if uid in self._upstream:
            return self._upstream[uid]
        self._upstream[uid] = frozenset()  # a cycle (not valid dbt) ends here
        found: set[str] = set()
        for parent in self.mesh.parents(uid):
            if parent in self.sources or self.is_product(parent) or parent.startswith("seed."):
                found.add(parent)
            elif parent in self.nodes:
                found |= self.upstream_inputs(parent)
        self._upstream[uid] = frozenset(found)
        return self._upstream[uid]


def exposure_chart(exposure) -> dict | None:
    """The exposure's `meta.chart` (config.meta first, as dbt 1.10+ writes it), None when it has none."""
    chart = meta(exposure).get("chart")
    return chart if isinstance(chart, dict) else None


def collect_products(index: CatalogIndex) -> dict[str, ProductFacts]:
    """Every data product (public model) by name, its versions together, the latest one's contract shown."""
    versions: dict[str, list[Node]] = defaultdict(list)
    for node in index.mesh.products():
        versions[node.name].append(node)
    return {name: _product(index, nodes) for name, nodes in sorted(versions.items())}


def _product(index: CatalogIndex, nodes: list[Node]) -> ProductFacts:
    nodes = sorted(nodes, key=lambda n: _version_key(n.version))
    latest_declared = nodes[0].latest_version
    facts = [VersionFacts(node.unique_id, version_text(node), _is_latest(node, nodes, latest_declared),
                          _text(node.deprecation_date) or None, relation(node)) for node in nodes]
    latest_uid = next((v.unique_id for v in facts if v.latest), facts[-1].unique_id)
    node = index.nodes[latest_uid]
    column_tests, product_tests = _tests(index.mesh.tests_of(latest_uid))
    sla = meta(node).get("sla")
    own = {v.unique_id for v in facts}
    upstream = sorted({uid for v in facts for uid in index.upstream_inputs(v.unique_id)} - own)
    consumers: dict[str, list[str]] = {}
    for version in facts:
        for child in index.children(version.unique_id):
            if child not in own:
                consumers.setdefault(child, []).append(f"v{version.version}" if version.version else "")
    return ProductFacts(
        name=node.name, domain=index.domain_of(latest_uid), description=text(node.description),
        path=node.original_file_path, versions=facts,
        columns=[_column(column, column_tests.get(column.name, ())) for column in node.columns.values()],
        constraints=tuple(_constraint(c, with_columns=True) for c in node.constraints),
        contract_enforced=node.config.contract.enforced,
        primary_key=tuple(primary_key(node)), sla=sla if isinstance(sla, dict) else {}, tests=product_tests,
        upstream=sorted((index.link(uid) for uid in upstream), key=_link_order),
        consumers=sorted((index.link(uid, "reads " + ", ".join(filter(None, used)) if any(used) else "")
                          for uid, used in consumers.items()), key=_link_order),
    )


def _is_latest(node: Node, nodes: list[Node], declared) -> bool:
    """The version `latest_version` names; without one, the last (an unversioned model is its own latest)."""
    return node is nodes[-1] if declared is None else is_latest(node)


def _version_key(version) -> tuple:
    shown = "" if version is None else str(version)
    return (0, float(shown), shown) if shown.replace(".", "", 1).isdigit() else (1, 0.0, shown)


def _link_order(link: Link) -> tuple:
    return (link.domain or "~", link.kind, link.label)


def _tests(tests: list[Node]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """A model's tests: generic ones per column (by test name), and the rest by name."""
    per_column: dict[str, list[str]] = defaultdict(list)
    other = []
    for test in tests:
        metadata = test.test_metadata
        column = test.column_name or (metadata.kwargs.get("column_name") if metadata else None)
        if metadata is not None and metadata.name and column:
            per_column[column].append(metadata.name)
        else:
            other.append((metadata.name if metadata else None) or test.name)
    return {c: tuple(sorted(set(names))) for c, names in per_column.items()}, tuple(sorted(set(other)))


def _column(column, tests: tuple[str, ...]) -> ColumnFacts:
    flags = column_flags(column)
    return ColumnFacts(column.name, column.data_type or "", text(column.description),
                       tuple(_constraint(c) for c in column.constraints), tests,
                       pii=bool(flags.get("pii")), masked=bool(flags.get("masked")))


def _constraint(constraint, with_columns: bool = False) -> str:
    kind = (constraint.type or "").replace("_", " ")
    detail = _text(constraint.expression)
    columns = constraint.columns or []
    if with_columns and columns:
        kind += f" ({', '.join(columns)})"
    return f"{kind}: {detail}" if detail else kind


def _text(value) -> str:
    return "" if value is None else str(value)


def collect_reports(index: CatalogIndex) -> dict[str, ReportFacts]:
    reports = {}
    for uid, exposure in sorted(index.exposures.items(), key=lambda item: item[1].name):
        email = exposure.owner.email or ""
        reports[exposure.name] = ReportFacts(
            unique_id=uid, name=exposure.name, label=exposure.label or exposure.name, type=exposure.type or "",
            maturity=exposure.maturity or "", description=text(exposure.description),
            owner_name=exposure.owner.name or "", owner_email=", ".join(email) if isinstance(email, list) else email,
            domain=index.domain_of(uid), url=exposure.url,
            depends_on=[index.link(p) for p in exposure.depends_on.nodes],
            chart=exposure_chart(exposure), path=exposure.original_file_path)
    return reports


def collect_domains(index: CatalogIndex, products: dict[str, ProductFacts], reports: dict[str, ReportFacts],
                    findings: dict[str, list[RuleFinding]],
                    coverage: dict[str, tuple[int, int]]) -> dict[str, DomainFacts]:
    mesh = index.mesh
    domains = {name: DomainFacts(domain) for name, domain in mesh.domains.items()}
    for node in mesh.models():
        facts = domains.get(mesh.domain_of(node.unique_id) or "")
        if facts is None:
            continue
        facts.models += 1
        layer = mesh.layer(node.unique_id) or "other"
        facts.layers[layer] = facts.layers.get(layer, 0) + 1
    for name, (tested, _total) in coverage.items():
        if name in domains:
            domains[name].tested = tested
    for product in products.values():
        if product.domain in domains:
            domains[product.domain].products.append(product.name)
    for report in reports.values():
        if report.domain in domains and report.chart is not None:
            domains[report.domain].reports.append(report.name)
    for name, facts in domains.items():
        facts.findings = sorted(findings.get(name, []), key=lambda f: (f.status != "open", f.severity != "error",
                                                                       f.code, f.message))
    return domains


def rule_findings(result) -> dict[str, list[RuleFinding]]:
    """The check's findings (a check.engine.CheckResult) per domain."""
    found: dict[str, list[RuleFinding]] = defaultdict(list)
    for finding in result.findings:
        violation = finding.violation
        found[violation.domain or ""].append(RuleFinding(violation.code, finding.severity, finding.status,
                                                         violation.message, violation.path, finding.reason))
    return dict(found)
