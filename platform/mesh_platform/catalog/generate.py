"""The two entry points: the whole catalog (`mesh catalog`) and the report pages alone (`mesh report`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import MeshError
from ..manifest import Mesh
from ..project import Project
from .collect import Catalog, collect
from .reports import RenderedReport, draw_reports
from .site import REPORTS_INDEX, SiteSummary, write_reports, write_site


@dataclass(frozen=True)
class Generated:
    catalog: Catalog
    reports: dict[str, RenderedReport]
    site: SiteSummary


def warehouse_of(project: Project, target: str | None) -> tuple[Path | None, str]:
    """The target's DuckDB file, or None and why the warehouse's facts are left out."""
    from ..warehouse import duckdb_path, target_credentials

    target_name, credentials = target_credentials(project, target)
    if credentials.type != "duckdb" or credentials.path == ":memory:":
        return None, (f"target '{target_name}' is not a DuckDB file ({credentials.type}): no sample rows, row counts, "
                      f"quality history or report charts")
    return duckdb_path(project, target), ""


def generate_catalog(mesh: Mesh, project: Project, target: str | None, output: Path,
                     now: dt.datetime | None = None) -> Generated:
    database, note = warehouse_of(project, target)
    catalog = collect(mesh, project, database, now or dt.datetime.now(dt.UTC), database_note=note)
    reports = draw_reports(catalog.reports, catalog.products, database, note)
    return Generated(catalog, reports, write_site(catalog, reports, output))


def generate_reports(mesh: Mesh, project: Project, target: str | None, output: Path, name: str | None = None,
                     now: dt.datetime | None = None) -> Generated:
    """Draw every report (or the one named) into the catalog at `output`; a MeshError if any is not drawn."""
    database, note = warehouse_of(project, target)
    catalog = collect(mesh, project, database, now or dt.datetime.now(dt.UTC), database_note=note,
                      contracts=False)
    reports = {key: report for key, report in catalog.reports.items() if report.chart is not None}
    if name is not None:
        if name not in reports:
            known = ", ".join(reports) or "none (add an exposure with meta.chart)"
            raise MeshError(f"unknown report '{name}'; the reports are: {known}")
        reports = {name: reports[name]}
    if not reports:
        raise MeshError("no report to draw: declare one as an exposure with meta.chart "
                        "(see models/analytics/_analytics__exposures.yml in the reference mesh)")
    rendered = draw_reports(reports, catalog.products, database, note)
    site = write_reports(catalog, rendered, output, index=name is None or not (output / REPORTS_INDEX).exists())
    return Generated(catalog, rendered, site)
