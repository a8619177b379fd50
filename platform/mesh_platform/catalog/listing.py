"""The data products as a table for the terminal (`mesh product list`, `mesh product show`): what the catalog's
product pages say, without a browser: owner and contact, version, SLA status, last quality, consumers, and
the `ref()` to use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..manifest import Mesh
from ..project import Project
from .builds import freshness, read_builds
from .facts import CatalogIndex, ProductFacts, collect_products
from .observations import Observations, read_warehouse

NO_QUALITY_RUN = "not run"


@dataclass(frozen=True)
class ProductEntry:
    name: str
    domain: str
    owner: str
    contact: str
    team_handle: str
    version: str | None
    versions: list[str]
    description: str
    sla: dict
    sla_status: str
    sla_detail: str
    quality: str
    quality_checked_at: str | None
    consumers: list[str]
    tags: list[str]
    ref: str
    columns: list[dict] = field(default_factory=list)
    path: str = ""


def product_entries(mesh: Mesh, project: Project, database: Path | None, now: dt.datetime | None = None,
                    domain: str | None = None, tag: str | None = None) -> tuple[list[ProductEntry], list[str]]:
    """Every data product (narrowed to a domain or a tag), and notes on what is not known (no build yet, ...)."""
    if domain is not None:
        mesh.require_domain(domain)
    products = [product for product in collect_products(CatalogIndex(mesh)).values()
                if (domain is None or product.domain == domain) and (tag is None or tag in _tags(mesh, product))]
    record = read_builds(project, products)
    observations = Observations()
    if database is not None:
        read_warehouse(database, products, observations, project.relative(database))
    now = now or dt.datetime.now(dt.UTC)
    entries = [_entry(mesh, product, record, observations, now) for product in products]
    return entries, [*record.notes, *observations.notes]


def _entry(mesh: Mesh, product: ProductFacts, record, observations: Observations, now: dt.datetime) -> ProductEntry:
    owner = mesh.owner(product.domain)
    fresh = freshness(product, record, now)
    quality = observations.quality.get(product.name)
    if quality is None or not quality.runs:
        shown, checked_at = NO_QUALITY_RUN, None
    else:
        last = quality.runs[0]
        shown, checked_at = f"{last.passed}/{last.expectations} passed", f"{last.run_at:%Y-%m-%d %H:%M}"
    version = product.latest.version
    pinned = f", v={version}" if version else ""
    return ProductEntry(
        name=product.name, domain=product.domain or "", owner=owner.owner_name if owner else "",
        contact=owner.owner_email if owner else "", team_handle=owner.team_handle if owner else "",
        version=version, versions=[v.version or "" for v in product.versions], description=product.description,
        sla=product.sla, sla_status=fresh.status, sla_detail=fresh.detail, quality=shown,
        quality_checked_at=checked_at,
        consumers=sorted({f"{link.label} ({link.domain or 'no domain'})" for link in product.consumers}),
        tags=_tags(mesh, product), ref=f"ref('{product.name}'{pinned})",
        columns=[{"name": c.name, "data_type": c.data_type, "description": c.description,
                  "personal_data": c.pii, "masked": c.masked} for c in product.columns],
        path=product.path)


def _tags(mesh: Mesh, product: ProductFacts) -> list[str]:
    node = mesh.nodes[product.latest.unique_id]
    return sorted({*node.tags, *node.config.tags})
