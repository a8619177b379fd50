"""`mesh legacy status`: the burn-down of the monolith (the `legacy` domain)."""

from __future__ import annotations

from pathlib import Path

from ..projects.runs import whole_mesh
from .session import open_session

DEFAULT_CHART = Path("target") / "legacy-burndown.png"


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("legacy", parents=[common], help="the monolith's burn-down",
                                   description="Follow the legacy domain (the monolith) as it is handed over.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", parents=[common], help="models and SQL lines left in legacy, who depends on them, a chart",
        description="The models still in the legacy domain (SQL lines, rows when the warehouse is built), the "
                    "other domains' models that still depend on them, and legacy's size over time, rebuilt "
                    "from the ownership log, drawn as a chart.")
    status.add_argument("--chart", type=Path, metavar="PATH",
                        help=f"where to write the chart (PNG; default: {DEFAULT_CHART} in the project)")
    status.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    status.add_argument("--target", "-t", help="dbt target from profiles.yml (default: duckdb)")
    status.set_defaults(run=run_status)


def run_status(args) -> int:
    import datetime as dt

    from ..errors import MeshError
    from ..files import WriteError
    from ..legacy.chart import write_chart
    from ..legacy.status import legacy_status, with_rows
    from ..ownership_log import read_log

    session = open_session(args)
    changes = read_log(session.project.root)  # a malformed log is refused before dbt parses
    status = legacy_status(whole_mesh(session), changes, dt.date.today())
    status = with_rows(status, *_row_counts(session, status))
    chart = args.chart.resolve() if args.chart is not None else session.project.root / DEFAULT_CHART
    try:
        write_chart(status.history, chart, f"Legacy burn-down: {len(status.models)} models, "
                                           f"{status.total_lines:,} SQL lines left ({status.history.points[-1].date})")
    except WriteError as error:
        raise MeshError(f"cannot write the chart to {chart}: {error.reason}") from None
    _report(status, session.project.relative(chart), args.format)
    return 0


def _row_counts(session, status):
    """Row counts from the target's DuckDB file; none, with the reason, for another engine."""
    from ..legacy.status import count_rows
    from ..warehouse import duckdb_path, target_credentials

    target_name, credentials = target_credentials(session.project, session.target)
    if credentials.type != "duckdb" or credentials.path == ":memory:":
        return {}, f"rows unknown: target '{target_name}' is not a DuckDB file ({credentials.type})"
    database = duckdb_path(session.project, session.target)
    counts, note = count_rows(database, status.models)
    return counts, note.replace(str(database), session.project.relative(database)) if note else None


def _report(status, chart: str, output_format: str) -> None:
    from ..console import print_table, say

    if output_format == "json":
        import json

        from ..legacy.status import as_json

        say(json.dumps(as_json(status, chart), indent=2))
        return

    def rows(count):
        return "?" if count is None else f"{count:,}"

    domain = status.domain
    owner = " ".join(part for part in (domain.owner_name, domain.team_handle) if part) or "no owner"
    print_table(f"Still in {domain.name} ({owner})",
                ["Model", "Layer", "SQL lines", "Rows"],
                [[m.name, m.layer or "(none)", f"{m.sql_lines:,}", rows(m.rows)] for m in status.models]
                + [[f"total: {len(status.models)} models", "", f"{status.total_lines:,}", rows(status.total_rows)]],
                numeric_from=2)
    if status.rows_note:
        say(status.rows_note)
    if status.dependents:
        print_table(f"Other domains' nodes (models, tests, ...) still depending on {domain.name}",
                    ["Node", "Domain", "Owner", "Team", "Uses"],
                    [[d.model, d.domain or "(none)", d.owner, d.team_handle, ", ".join(d.uses)]
                     for d in status.dependents])
    else:
        say(f"Nothing of another domain (no model, test, analysis or snapshot) depends on {domain.name} any more.")
    history = status.history
    table = [[f"before {history.start.date}", "", history.start.models, f"{history.start.sql_lines:,}"]] \
        if history.start is not None else []
    table += [[str(p.date), p.change(), p.models, f"{p.sql_lines:,}"] for p in history.points]
    print_table(f"{domain.name} over time (from the ownership log)", ["Date", "Change", "Models", "SQL lines"],
                table, numeric_from=2)
    if history.start is None:
        say("No ownership log (ownership-log.csv) yet: the history starts today.")
    for mismatch in history.mismatches:
        say(f"note: the ownership log disagrees with the project: {mismatch}")
    say(f"Chart: {chart}")
