"""`mesh nightly`: seed, build, check, lint and quality in one run, with reports per domain."""

from __future__ import annotations

from pathlib import Path

from .arguments import whole_number
from .session import add_leave_out, hold_warehouse, open_session, say_quarantined


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "nightly", parents=[common], help="the nightly pipeline: seed, build, check, lint, quality, reports",
        description="Load seeds, build and test every model, check the rules, lint the SQL and validate the data "
                    "products, on one parse, holding the warehouse. A failure skips only its descendants. "
                    "Reports go to target/nightly/<run-id>/. Exit 1 when anything failed.")
    parser.add_argument("--resume", action="store_true",
                        help="re-run only what failed or was skipped in the last run; carry the rest over")
    parser.add_argument("--notify-dir", type=Path, metavar="DIR",
                        help="write one markdown note per failing domain, addressed to its owner, into DIR")
    parser.add_argument("--keep-runs", type=whole_number, default=30, metavar="N",
                        help="keep the reports of the last N runs in target/nightly/ (default: 30)")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models and seeds")
    parser.add_argument("--target", "-t", help="dbt target from profiles.yml (default: duckdb)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no line per node, only the report")
    parser.add_argument("--only-new", action="store_true",
                        help="build only what is new since the last passing night: changed seeds, then what newer "
                             "source rows (dbt's source_status:fresher+) or changed code (state:modified+) reach; "
                             "the rest keeps that night's results")
    parser.add_argument("--wave", nargs="+", default=[], metavar="DOMAIN",
                        help="only these domains' night, compiled for rules judged over the whole mesh of "
                             "projects (what `mesh nightly` at the root of a mesh of projects runs in each project)")
    add_leave_out(parser)
    parser.set_defaults(run=run)



def run(args) -> int:
    from ..build import ProgressPrinter
    from ..console import say_progress
    from ..errors import MeshError
    from ..nightly.pipeline import NightlyOptions, run_nightly
    from ..nightly.reports import write_reports
    from ..nightly.runs import nightly_root, prune_runs
    from ..nightly.webhooks import notify_settings, send_webhooks
    from ..warehouse import target_credentials

    if args.only_new and (args.resume or args.full_refresh or args.wave):
        raise MeshError("--only-new builds on the last passing night; it does not go with --resume, "
                        "--full-refresh or --wave")
    if args.notify_dir is not None and args.notify_dir.exists() and not args.notify_dir.is_dir():
        raise MeshError(f"--notify-dir {args.notify_dir} is a file; give a folder (it is created if missing)")
    from ..projects.runs import runs_projects

    if runs_projects(args):
        from ..projects.nightly import nightly_of_projects

        return nightly_of_projects(args)
    session = open_session(args, quarantine=True)
    project = session.project
    notifying = notify_settings(project)  # a mistake in mesh.yml's notify section stops the night before it starts
    with hold_warehouse(session, "mesh nightly"):
        proceed, previous = _run_to_resume(session) if args.resume else (True, None)
        if not proceed:
            return 0
        since = _night_to_build_on(session) if args.only_new else None
        try:
            mesh = session.mesh()
        except MeshError:  # a parse error outside every domain: the run records it as the parse step's error
            mesh = None
        say_quarantined(session)
        progress = None if args.quiet or mesh is None else ProgressPrinter(mesh, say_progress)
        run = run_nightly(session, NightlyOptions(
            target_name=target_credentials(project, args.target)[0], full_refresh=args.full_refresh,
            resume=previous, callbacks=[progress] if progress else [],
            on_step=progress.phase if progress else lambda title: None,
            domains=tuple(args.wave), rules=not args.wave, since=since))
        folder = nightly_root(project) / run.run_id
        notify = None if args.wave else send_webhooks(run, project, folder, notifying)  # a wave's: the mesh's run
        if notify is not None:
            run.steps.append(notify)
        written = write_reports(run, folder, project, args.notify_dir)
        prune_runs(project, args.keep_runs)
    return say_run(run, project, folder, written, args.notify_dir)


def say_run(run, project, folder, written, notify_dir) -> int:
    """The night's table by domain, what could not run, what failed, and where the reports are: its exit code."""
    from ..console import print_table, say
    from ..nightly.reports import dbt_counts, failure_lines, lint_counts, quality_counts

    say()
    print_table(f"Nightly {run.run_id} by domain",
                ["Domain", "Owner", "Status", "dbt ok / failed / skipped", "Check errors", "Lint", "Quality"],
                [[d.name, d.team_handle or d.owner_name, d.status, dbt_counts(d), d.counts("check")["failed"],
                  lint_counts(d), quality_counts(d)] for d in run.domains.values()])
    for step in run.steps:
        if step.status == "error":
            say(f"{step.name} could not run: {step.detail}")
        elif step.name == "notify" and step.status != "ok":
            say(f"notify: {step.detail}")
    for domain in run.domains.values():
        if domain.status != "passed":
            say(f"{domain.name} ({domain.status}, {domain.owner}):")
            for line in failure_lines(domain, 10, project.relative(folder)):
                say(f"  {line}")
    notes = [path for path in written if path.parent != folder]
    say(f"Nightly {run.status} in {run.wall_seconds:.1f} s ({run.dbt_parses} dbt parse). "
        f"Reports: {project.relative(folder)}/summary.md, junit.xml, summary.json"
        + (f"; {len(notes)} note(s) to owners in {notify_dir}" if notes else ""))
    return run.exit_code


def _night_to_build_on(session):
    """The last finished night with the dbt artifacts --only-new compares with (manifest, sources, results)."""
    from ..console import say
    from ..errors import MeshError
    from ..nightly.runs import dbt_state, finished_runs

    for run in finished_runs(session.project):
        state = dbt_state(session.project, run.run_id)
        if all((state / name).is_file() for name in ("manifest.json", "sources.json", "run_results.json")):
            again = "" if run.status == "passed" else ", and again what failed or was skipped there"
            say(f"Building only what is new since the night {run.run_id} ({run.status}){again}.")
            return run
    raise MeshError("--only-new needs an earlier night to compare with, and none is kept in target/nightly/; "
                    "run `mesh nightly` once without it")


def _run_to_resume(session):
    """(whether to run, the finished and failed run to resume or None to run everything)."""
    from ..console import say
    from ..nightly.runs import latest_run

    last = latest_run(session.project)
    if last is None:
        say("No earlier nightly run to resume: running the whole nightly.")
        return True, None
    run_id, previous = last
    if previous is None:
        say(f"The last run {run_id} did not finish: running the whole nightly.")
        return True, None
    if previous.status == "passed":
        say(f"Nothing to resume: the last run {run_id} passed.")
        return False, None
    say(f"Resuming {run_id}: re-running only what failed or was skipped.")
    return True, previous
