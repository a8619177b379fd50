"""Write the catalog as a static site: Jinja2 templates (autoescaped) over the collected facts.

The site is written into a folder beside the output and swapped into place when complete (`site_folder`), so a
reader (or `mesh catalog --serve`) never sees half a site; a folder that is not a catalog is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ..files import write_atomically
from . import CONTENT_SECURITY_POLICY, site_folder
from .builds import freshness
from .collect import Catalog
from .facts import domain_page
from .lineage import Drawing, lineage_drawing
from .observations import QualityFacts
from .reports import RenderedReport
from .search import search_entries, shards
from .sla_chart import VERDICT_WORDS, sla_chart_svg, sla_chart_text
from .sla_history import SlaHistory

ASSETS = ("catalog.css", "search.js", "favicon.svg")
HOME_LINEAGE_DOMAINS = 40  # a larger mesh's lineage gets its own page only
HOME_ROWS = 60  # domains and products listed on the home page; all of them on domains.html and products.html
LISTING_ROWS = 500  # rows a listing page holds before the next page
SAMPLE_COLUMNS = 8  # columns of sample rows per table (the key's repeated in each), so that each fits the page
REPORTS_INDEX = "reports.html"
NIGHTLY_PAGE = "nightly.html"
NIGHTLY_FAILURES = 50  # failures listed per domain on the nightly's page; the rest are in its summary.json
TONES = {
    "ok": {"passed", "fresh", "active", "enforced", "latest", "ok", "built"},
    "bad": {"failed", "stale", "open", "error"},
    "warn": {"blocked", "held up", "warn", "warned", "decommissioning", "waived", "deprecated", "skipped"},
}


@dataclass(frozen=True)
class SiteSummary:
    output: Path
    pages: int
    files: int
    largest: tuple[str, int]  # the biggest file: path in the site, bytes


def wrap_points(text: str) -> list[str]:
    """`text` cut after each / _ and . : where a long identifier may wrap."""
    return [part for part in re.findall(r"[^/_.]*[/_.]?", text) if part]


def tone_of(status: str) -> str:
    return next((tone for tone, words in TONES.items() if str(status) in words), "neutral")


@lru_cache(maxsize=1)
def environment():
    """Every template autoescaped (the lineage SVG too): what a page shows of the project is always text."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("mesh_platform.catalog", "templates"), undefined=StrictUndefined,
                       autoescape=True, trim_blocks=True, lstrip_blocks=True)


class SiteWriter:
    """Renders pages into a folder, counting what it writes."""

    def __init__(self, catalog: Catalog, reports: dict[str, RenderedReport], folder: Path):
        self.catalog, self.reports, self.folder = catalog, reports, folder
        self.written: dict[str, int] = {}
        now, builds = catalog.generated_at, catalog.builds
        self.globals = {"catalog": catalog, "reports": reports, "tone_of": tone_of, "wrap_points": wrap_points,
                        "sample_columns": SAMPLE_COLUMNS, "policy": CONTENT_SECURITY_POLICY,
                        "freshness": lambda product: freshness(product, builds, now),
                        "quality_of": lambda name: catalog.observations.quality.get(name) or QualityFacts(),
                        "sla_of": lambda name: catalog.observations.sla.get(name) or SlaHistory(),
                        "sla_chart_text": sla_chart_text, "sla_words": VERDICT_WORDS}

    def page(self, path: str, template: str, **values) -> None:
        depth = path.count("/")
        values = {**self.globals, "root": "../" * depth, "home": False, "section": "", **values}
        self.write(path, environment().get_template(template).render(**values))

    def write(self, path: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_atomically(self.folder / path, data)  # a page being replaced is never seen half written
        self.written[path] = len(data)

    def assets(self) -> None:
        for name in ASSETS:
            self.write(f"assets/{name}", files("mesh_platform.catalog").joinpath("static", name).read_bytes())

    def marker(self) -> None:
        data = site_folder.write_marker(self.folder, self.catalog.project, self.catalog.generated_at.isoformat())
        self.written[site_folder.MARKER] = len(data)

    def reports_pages(self, index: bool = True) -> None:
        if index:
            self.page(REPORTS_INDEX, "reports.html", section="reports")
        for name, rendered in self.reports.items():
            if rendered.svg is not None:
                self.write(f"reports/{name}.svg", rendered.svg)
            self.page(f"reports/{name}.html", "report.html", rendered=rendered, section="reports")

    def summary(self, output: Path) -> SiteSummary:
        largest = max(self.written.items(), key=lambda item: item[1])
        return SiteSummary(output, sum(path.endswith(".html") for path in self.written), len(self.written), largest)


def write_site(catalog: Catalog, reports: dict[str, RenderedReport], output: Path) -> SiteSummary:
    """The whole site into `output`, replacing the catalog there (never a folder that is not one)."""
    staging = site_folder.start(output, catalog.project, catalog.generated_at.isoformat())
    try:
        writer = SiteWriter(catalog, reports, staging)
        writer.assets()
        _home(writer)
        _listings(writer)
        _lineage(writer)
        _nightly(writer)
        _domains(writer)
        _products(writer)
        writer.reports_pages()
        writer.marker()
    except BaseException:
        site_folder.abandon(staging)
        raise
    site_folder.finish(staging, output)
    return writer.summary(output)


def write_reports(catalog: Catalog, reports: dict[str, RenderedReport], output: Path,
                  index: bool = True) -> SiteSummary:
    """Only the report pages (their index too with `index`) and the site's assets, into the catalog at `output`
    or a new one."""
    site_folder.check_output(output)
    writer = SiteWriter(catalog, reports, output)
    writer.assets()
    writer.reports_pages(index)
    writer.marker()
    return writer.summary(output)


def _listings(writer: SiteWriter) -> None:
    """domains.html and products.html (then -2.html, ...): every domain and product, LISTING_ROWS a page."""
    catalog = writer.catalog
    for stem, heading, lead, table, rows in (
            ("domains", "Domains", "Every business domain of the mesh, with its owner, products, models and health.",
             "_domains_table.html", list(catalog.domains.values())),
            ("products", "Data products", "Every data product of the mesh: public, versioned, under contract.",
             "_products_table.html", list(catalog.products.values()))):
        pages = max(1, -(-len(rows) // LISTING_ROWS))
        for number in range(1, pages + 1):
            path = f"{stem}.html" if number == 1 else f"{stem}-{number}.html"
            writer.page(path, "listing.html", section=stem, heading=heading, lead=lead, table=table, stem=stem,
                        rows=rows[(number - 1) * LISTING_ROWS:number * LISTING_ROWS], number=number, pages=pages,
                        description_chars=120)


def _home(writer: SiteWriter) -> None:
    catalog = writer.catalog
    scripts = shards(search_entries(catalog))
    for number, text in enumerate(scripts):
        writer.write(f"assets/search-index-{number}.js", text)
    if catalog.legacy is not None:
        from ..legacy.chart import render_chart

        legacy = catalog.legacy
        writer.write("assets/legacy-burndown.png", render_chart(
            legacy.history, f"Legacy burn-down: {len(legacy.models)} models, {legacy.total_lines:,} SQL lines left"))
    lineage = _drawing(catalog, catalog.domains, catalog.edges, "home-lineage", root="") \
        if len(catalog.domains) <= HOME_LINEAGE_DOMAINS else None
    notes = [*catalog.notes, *catalog.observations.notes]
    breaches = [product for name, product in catalog.products.items()
                if catalog.observations.sla.get(name, SlaHistory()).breached]
    writer.page("index.html", "index.html", home=True, section="home", lineage=lineage, notes=notes,
                breaches=breaches,
                home_rows=HOME_ROWS, description_chars=160,
                search_shards=[f"assets/search-index-{n}.js" for n in range(len(scripts))])


def _lineage(writer: SiteWriter) -> None:
    catalog = writer.catalog
    writer.page("lineage.html", "lineage.html", section="lineage",
                lineage=_drawing(catalog, catalog.domains, catalog.edges, "lineage", root=""))


def _nightly(writer: SiteWriter) -> None:
    """nightly.html: the last finished nightly's report, from its summary.json."""
    if writer.catalog.nightly is not None:
        writer.page(NIGHTLY_PAGE, "nightly.html", night=writer.catalog.nightly, failures_shown=NIGHTLY_FAILURES)


def _domains(writer: SiteWriter) -> None:
    catalog = writer.catalog
    for name, domain in catalog.domains.items():
        near = {name, *domain.upstream, *domain.downstream}
        edges = [edge for edge in catalog.edges if name in (edge.upstream, edge.downstream)]
        lineage = _drawing(catalog, near, edges, "domain-lineage", root="../", highlight=name)
        writer.page(domain_page(name), "domain.html", domain=domain, lineage=lineage, section="domains")


def _products(writer: SiteWriter) -> None:
    catalog = writer.catalog
    for name, product in catalog.products.items():
        contract = catalog.contracts.get(name)
        contract_file = f"{name}.odcs.yaml" if contract is not None else None
        if contract is not None:
            writer.write(f"products/{contract_file}", contract)
        history, sla_chart = catalog.observations.sla.get(name), None
        if history is not None:  # its SLA over the last nights, as the nightly measured it
            sla_chart = f"{name}-sla.svg"
            writer.write(f"products/{sla_chart}", sla_chart_svg(history, f"{name}: SLA over the last nights",
                                                                 product.max_staleness_hours))
        writer.page(product.page, "product.html", product=product, contract_file=contract_file,
                    contract_error=catalog.contract_errors.get(name), section="products", sla_chart=sla_chart)


def _drawing(catalog: Catalog, names, edges, ident: str, root: str, highlight: str | None = None) -> Drawing:
    domains = catalog.domains

    def subtitle(name: str) -> str:
        return domains[name].domain.owner_name if name in domains else "not a declared domain"

    def status(name: str) -> str:
        return domains[name].domain.status if name in domains else ""

    return lineage_drawing(names, edges, href=lambda name: root + domain_page(name), subtitle=subtitle,
                           status=status, title="Which domain reads which", ident=ident, highlight=highlight)
