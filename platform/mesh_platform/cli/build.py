"""`mesh build`: run dbt build for the mesh or one domain, then a table of outcomes per domain."""

from __future__ import annotations

from pathlib import Path

from .session import add_leave_out, hold_warehouse, open_session, say_quarantined

DBT_ARTIFACTS = ("manifest.json", "run_results.json")


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "build", parents=[common], help="build models, seeds and tests, with a report per domain",
        description="Run `dbt build` in-process and report, per domain, models and tests passed and failed.",
    )
    parser.add_argument("--domain", help="build only this domain (its dbt group)")
    parser.add_argument("--select", "-s", nargs="+", default=[], metavar="SELECTOR",
                        help="dbt node selection (intersected with --domain)")
    parser.add_argument("--exclude", nargs="+", default=[], metavar="SELECTOR", help="dbt nodes to leave out")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models and seeds")
    parser.add_argument("--state", type=Path, metavar="DIR",
                        help="dbt artifacts of an earlier run (e.g. production's manifest.json), for state: selectors")
    parser.add_argument("--target", "-t", help="dbt target from profiles.yml (default: duckdb)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no line per node, only the report")
    parser.add_argument("--report-json", type=Path, metavar="FILE",
                        help="also write every node's outcome, and the domains left out, as JSON to FILE")
    add_leave_out(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..build import NO_DOMAIN, ProgressPrinter, record_build, run_build, write_report_json
    from ..console import print_table, say, say_progress
    from ..errors import DbtFailure, MeshError
    from ..projects.runs import runs_projects

    if runs_projects(args):
        from ..projects.build import build_projects

        return build_projects(args)
    session = open_session(args, quarantine=True)
    if args.state is not None and not any((args.state / name).is_file() for name in DBT_ARTIFACTS):
        raise MeshError(f"no dbt artifacts ({' or '.join(DBT_ARTIFACTS)}) in --state {args.state}; point it at "
                        f"the folder of an earlier run's target/")
    with hold_warehouse(session, "mesh build"):
        mesh = session.mesh()
        say_quarantined(session)
        if args.domain in session.quarantined:
            left_out = session.quarantined[args.domain]
            raise DbtFailure(f"{args.domain} was left out: " + (
                f"dbt could not parse {left_out.path}" if left_out.upstream is None else
                f"{left_out.blocked_by}, which dbt could not parse"))
        progress = None if args.quiet else ProgressPrinter(mesh, say_progress)
        report = run_build(session, domain=args.domain, select=args.select, exclude=args.exclude,
                           full_refresh=args.full_refresh, state=args.state,
                           callbacks=[progress] if progress else [],
                           on_phase=progress.phase if progress else lambda phase: None)
        record_build(session.project, report)  # the catalog's record of what was built, kept from the next dbt command
        if args.report_json is not None:
            write_report_json(args.report_json, report, session.quarantined)
    rows = []
    for name, tally in report.by_domain(mesh).items():
        if args.domain and name != args.domain:
            continue
        owner = mesh.domains[name].owner_name if name in mesh.domains else ""
        rows.append([name, owner, tally.seeds_loaded, tally.models_ok, tally.models_failed, tally.models_skipped,
                     tally.tests_passed, tally.tests_warned, tally.tests_failed])
    say()
    print_table("Build by domain",
                ["Domain", "Owner", "Seeds", "Models ok", "Failed", "Skipped", "Tests pass", "Warn", "Fail"],
                rows, numeric_from=2)
    if report.ok and not (session.quarantined and args.domain is None):
        say(f"Built {len(report.outcomes)} nodes, no failures.")
        return 0
    if report.ok:
        say(f"Built {len(report.outcomes)} nodes, no failures; left out, so not built: "
            f"{', '.join(sorted(session.quarantined))}.")
        return 1
    say()
    for failure in report.failures:
        owner = mesh.domains[failure.domain].team_handle if failure.domain in mesh.domains else NO_DOMAIN
        say(f"FAILED {failure.resource_type} {failure.name} [{failure.domain}, {owner}] "
            f"in {failure.path}: {failure.message}")
    project = session.project
    say(f"{len(report.failures)} failed. Details: {project.relative(project.log_file)} and "
        f"{project.relative(project.target_dir / 'run_results.json')}")
    return 1
