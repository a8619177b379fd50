"""`mesh report`: draw the self-serve reports (exposures with a chart) into the catalog's site."""

from __future__ import annotations

from pathlib import Path


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "report", parents=[common], help="draw the reports (exposures with a chart) into the catalog",
        description="Draw each report, a dbt exposure with meta.chart, from the public data product it reads: "
                    "its chart (SVG) and its numbers table, as pages of the catalog (target/catalog/reports/). "
                    "Exit 2 when a report cannot be drawn.")
    parser.add_argument("name", nargs="?", metavar="NAME", help="only this report (default: every one)")
    parser.add_argument("--output", "-o", type=Path, metavar="DIR",
                        help="the catalog's folder (default: target/catalog in the project)")
    parser.add_argument("--target", "-t", help="dbt target whose warehouse to read (default: duckdb)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..catalog.generate import generate_reports
    from ..console import say
    from ..errors import MeshError
    from .catalog import mesh_of, site_folder
    from .session import open_session

    session = open_session(args)
    project = session.project
    output = site_folder(args, project)
    generated = generate_reports(mesh_of(args, session), project, args.target, output, args.name)
    failed = {name: report.problem for name, report in generated.reports.items() if report.problem}
    for name, report in generated.reports.items():
        if not report.problem and report.table is not None and report.product is not None:
            say(f"Drew {name}: {project.relative(output / 'reports' / (name + '.html'))} "
                f"({len(report.table.rows)} rows from {report.product.name})")
    if not (output / "index.html").is_file():
        say("The rest of the catalog (home, domains, products): `mesh catalog`.")
    if failed:
        raise MeshError("; ".join(f"{name} not drawn: {problem}" for name, problem in failed.items()))
    return 0
