"""Self-serve reports: an exposure's `meta.chart` read as a chart over the one data product it depends on.

The spec names the product's contract columns; the platform writes the query (quoted identifiers, a fixed
aggregate), so a report is data reviewed like code, never SQL. A spec that cannot be drawn is refused in one
line naming the exposure and its file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import MeshError, one_line
from .facts import ProductFacts, ReportFacts

KINDS = ("bar", "stacked_bar", "line", "barh", "funnel")
AGGREGATES = ("sum", "avg", "min", "max", "none")
FORMATS = ("gbp", "pct", "count", "number")
SORTS = ("asc", "desc")
SPEC_KEYS = {"kind", "x", "y", "series", "aggregate", "format", "sort"}


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    x: str | None
    y: tuple[str, ...]
    series: str | None = None
    aggregate: str = "none"
    format: str = "number"
    sort: str | None = None


@dataclass(frozen=True)
class ReportTable:
    """What the chart draws, and the numbers table beside it."""

    categories: list[str]  # along the category axis (a funnel's stages)
    series: list[tuple[str, list[float | None]]]  # name, one value per category
    x_label: str
    headers: list[str]
    rows: list[list[str]]  # formatted cells; the first column is the category


def chart_spec(report: ReportFacts, products: dict[str, ProductFacts]) -> tuple[ChartSpec, ProductFacts]:
    """The report's chart spec, checked against the contract of the data product it reads."""
    where = f"report {report.name} ({_file(report)})"
    raw = report.chart or {}
    unknown = sorted(set(raw) - SPEC_KEYS)
    if unknown:
        raise MeshError(f"{where}: unknown key(s) in meta.chart: {', '.join(unknown)}; "
                        f"the keys are {', '.join(sorted(SPEC_KEYS))}")
    kind = _choice(where, raw, "kind", KINDS, None)
    y = raw.get("y")
    y = [y] if isinstance(y, str) else y
    if not isinstance(y, list) or not y or not all(isinstance(c, str) for c in y):
        raise MeshError(f"{where}: meta.chart.y must name one or more columns of the product")
    spec = ChartSpec(kind=kind, x=raw.get("x"), y=tuple(y), series=raw.get("series"),
                     aggregate=_choice(where, raw, "aggregate", AGGREGATES, "none"),
                     format=_choice(where, raw, "format", FORMATS, "number"),
                     sort=_choice(where, raw, "sort", SORTS, None) if raw.get("sort") is not None else None)
    if kind == "funnel":
        if spec.x or spec.series:
            raise MeshError(f"{where}: a funnel's stages are its y columns; leave out x and series")
        if spec.aggregate == "none":
            raise MeshError(f"{where}: a funnel adds up each stage over the product's rows; set aggregate: sum")
    elif not isinstance(spec.x, str) or not spec.x:
        raise MeshError(f"{where}: meta.chart.x must name the column along the category axis")
    if spec.series is not None and (not isinstance(spec.series, str) or len(spec.y) != 1 or kind == "funnel"):
        raise MeshError(f"{where}: meta.chart.series names one column and goes with exactly one y column")
    product = _product(where, report, products)
    known = {column.name: column for column in product.columns}
    for column in (spec.x, spec.series, *spec.y):
        if column is None:
            continue
        if column not in known:
            raise MeshError(f"{where}: {product.name} has no column {column}; its columns are: {', '.join(known)}")
        if known[column].hidden:
            raise MeshError(f"{where}: {column} of {product.name} is personal data; a report cannot show it")
    return spec, product


def _file(report: ReportFacts) -> str:
    return report.path or f"exposure {report.unique_id}"


def _choice(where: str, raw: dict, key: str, allowed: tuple[str, ...], default: str | None) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        raise MeshError(f"{where}: meta.chart.{key} is {value!r}; it must be one of {', '.join(allowed)}")
    return value


def _product(where: str, report: ReportFacts, products: dict[str, ProductFacts]) -> ProductFacts:
    read = [link for link in report.depends_on if link.kind == "product"]
    names = sorted({products_by_uid(products).get(link.unique_id, "") for link in read} - {""})
    if len(names) != 1:
        found = ", ".join(link.label for link in report.depends_on) or "nothing"
        raise MeshError(f"{where}: a report reads exactly one data product (a public model) through depends_on; "
                        f"it depends on {found}")
    return products[names[0]]


def products_by_uid(products: dict[str, ProductFacts]) -> dict[str, str]:
    return {version.unique_id: product.name for product in products.values() for version in product.versions}


def report_query(spec: ChartSpec, relation: str) -> str:
    """The SQL a spec reads: quoted column names from the contract, the product's relation."""
    table = ".".join(_quote(part) for part in relation.split(".", 1))
    if spec.kind == "funnel":
        return f"select {', '.join(f'{spec.aggregate}({_quote(c)})' for c in spec.y)} from {table}"
    keys = [_quote(spec.x or "")] + ([_quote(spec.series)] if spec.series else [])
    if spec.aggregate == "none":
        measures = [_quote(c) for c in spec.y]
        group = ""
    else:
        measures = [f"{spec.aggregate}({_quote(c)}) as {_quote(c)}" for c in spec.y]
        group = f" group by {', '.join(keys)}"
    order = f"{len(keys) + 1} {spec.sort}" if spec.sort else ", ".join(str(i + 1) for i in range(len(keys)))
    return f"select {', '.join(keys + measures)} from {table}{group} order by {order}"


def report_table(spec: ChartSpec, rows: list[tuple]) -> ReportTable:
    """The query's rows as the chart's series and the table's cells."""
    if spec.kind == "funnel":
        values = [_number(v) for v in (rows[0] if rows else [None] * len(spec.y))]
        first = values[0] or None
        table = []
        for i, (stage, value) in enumerate(zip(spec.y, values, strict=True)):
            previous = values[i - 1] if i else None
            table.append([_label(stage), format_value(value, spec.format),
                          format_value(value / previous if previous and value is not None else None, "pct"),
                          format_value(value / first if first and value is not None else None, "pct")])
        return ReportTable([_label(c) for c in spec.y], [("Total", values)], "Stage",
                           ["Stage", "Total", "Of the previous stage", "Of the first stage"], table)
    if spec.series:
        categories = _unique(category_label(row[0]) for row in rows)
        names = _unique(category_label(row[1]) for row in rows)
        cells = {(category_label(row[0]), category_label(row[1])): _number(row[2]) for row in rows}
        series = [(name, [cells.get((c, name)) for c in categories]) for name in names]
        table = [[c, *(format_value(cells.get((c, name)), spec.format) for name in names)] for c in categories]
        return ReportTable(categories, series, _label(spec.x or ""), [_label(spec.x or ""), *names], table)
    categories = [category_label(row[0]) for row in rows]
    series = [(_label(column), [_number(row[i + 1]) for row in rows]) for i, column in enumerate(spec.y)]
    table = [[categories[n], *(format_value(_number(v), spec.format) for v in row[1:])] for n, row in enumerate(rows)]
    return ReportTable(categories, series, _label(spec.x or ""), [_label(spec.x or ""), *map(_label, spec.y)], table)


def category_label(value) -> str:
    """A category as read: a month's first day as `Apr 2025`, other dates ISO, numbers plain."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime("%b %Y") if value.day == 1 else value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "(none)" if value is None else str(value)


def format_value(value: float | None, style: str) -> str:
    if value is None:
        return "–"
    if style == "gbp":
        return f"£{value:,.0f}"
    if style == "pct":
        return f"{value:.1%}"
    if style == "count":
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def _number(value) -> float | None:
    return None if value is None else float(value)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def _label(column: str) -> str:
    return column.replace("_", " ").capitalize()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class RenderedReport:
    """A report as the site shows it: its chart and numbers, or why there are none."""

    report: ReportFacts
    spec: ChartSpec | None = None
    product: ProductFacts | None = None
    table: ReportTable | None = None
    svg: str | None = None
    problem: str | None = None

    @property
    def alt(self) -> str:
        if self.spec is None or self.table is None:
            return ""
        kind = {"bar": "Bar chart", "stacked_bar": "Stacked bar chart", "line": "Line chart",
                "barh": "Horizontal bar chart", "funnel": "Funnel chart"}[self.spec.kind]
        measured = ", ".join(_label(c).lower() for c in self.spec.y)
        by = f" by {_label(self.spec.x).lower()}" if self.spec.x else ""
        per = f", one series per {_label(self.spec.series).lower()}" if self.spec.series else ""
        return f"{kind} of {measured}{by}{per}; the numbers are in the table beside it."


def draw_reports(reports: dict[str, ReportFacts], products: dict[str, ProductFacts], database: Path | None,
                 database_note: str = "") -> dict[str, RenderedReport]:
    """Query and draw every report (an exposure with a chart), reading the DuckDB file read-only."""
    from .charts import chart_svg

    rendered = {}
    for name, report in reports.items():
        if report.chart is None:
            continue
        page = rendered[name] = RenderedReport(report)
        try:
            page.spec, page.product = chart_spec(report, products)
        except MeshError as error:
            page.problem = str(error)
    wanted = [page for page in rendered.values() if page.spec is not None]
    rows = _read_rows(wanted, database, database_note)
    for page in wanted:
        result = rows.get(page.report.name)
        if isinstance(result, str) or result is None or page.spec is None:
            page.problem = result if isinstance(result, str) else "Not drawn: no rows were read."
            continue
        page.table = report_table(page.spec, result)
        page.svg = chart_svg(page.table, page.spec.kind, page.spec.format, page.report.label)
    return rendered


def _read_rows(pages: list[RenderedReport], database: Path | None, note: str) -> dict[str, list[tuple] | str]:
    """Each report's rows, or why they cannot be read."""
    import duckdb

    if not pages:
        return {}
    if database is None or not database.is_file():
        unavailable = note or f"the warehouse {database} is not built yet; run `mesh build`"
        return {page.report.name: f"Not drawn: {unavailable}." for page in pages}
    found: dict[str, list[tuple] | str] = {}
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        return {page.report.name: f"Not drawn: cannot open the warehouse ({one_line(error, 200)})." for page in pages}
    with connection:
        for page in pages:
            if page.product is None or page.spec is None:
                continue
            relation = page.product.latest.relation or page.product.name
            try:
                found[page.report.name] = connection.sql(report_query(page.spec, relation)).fetchall()
            except duckdb.Error as error:
                found[page.report.name] = (f"Not drawn: {relation} cannot be read ({one_line(error, 200)}); "
                                           f"build {page.product.name} with `mesh build`.")
    return found
