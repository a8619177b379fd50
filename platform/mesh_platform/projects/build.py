"""`mesh build` over a mesh of projects: each wave of domains built in its own project's process, in order.

A wave that cannot run (its project does not parse, its process fails) fails its domains, and the domains that
read them, directly or not, are blocked: not built. A wave whose nodes fail does not stop its readers: they
build on the products as last published (a failed model leaves the last good table in place).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ..build import NO_DOMAIN, BuildReport, DomainTally, NodeOutcome, read_report_json, write_outcomes_json
from ..console import print_table, say
from .order import Plan, Wave, plan, runnable_waves, wave_arguments
from .runs import mesh_of, prepare_warehouses, the_projects
from .subprocess_run import run_mesh


def build_projects(args) -> int:
    project, projects = the_projects(args)
    if args.select or args.exclude or args.state:
        say("mesh build at the root of a mesh of projects builds every project; for --select, --exclude or "
            "--state, build one project: mesh build --project-dir PROJECT ...")
        return 2
    order = plan(projects)
    if args.domain:
        order = replace(order, waves=[Wave(wave.project, (args.domain,)) for wave in order.waves
                                      if args.domain in wave.domains])
        if not order.waves:
            say(f"unknown domain '{args.domain}'")
            return 2
    prepare_warehouses(projects, args.target)
    say(f"Building {len(projects)} projects in {len(order.waves)} wave(s): "
        + " -> ".join(w.describe() for w in order.waves))
    outcomes, failed, blocked = run_waves(order, args)
    report = BuildReport(outcomes)
    if args.report_json is not None:
        write_outcomes_json(args.report_json, outcomes, {**failed, **blocked})
    mesh = mesh_of(projects)
    tallies: dict[str, DomainTally] = {name: DomainTally() for wave in order.waves for name in wave.domains}
    for outcome in outcomes:
        tallies.setdefault(outcome.domain, DomainTally()).count(outcome)
    rows = []
    for name, tally in sorted(tallies.items()):
        owner = mesh.domains[name].owner_name if name in mesh.domains else ""
        state = "failed: " + failed[name] if name in failed else "blocked: " + blocked[name] if name in blocked else ""
        rows.append([name, owner, tally.seeds_loaded, tally.models_ok, tally.models_failed, tally.models_skipped,
                     tally.tests_passed, tally.tests_warned, tally.tests_failed, state])
    say()
    print_table("Build by domain, every project",
                ["Domain", "Owner", "Seeds", "Models ok", "Failed", "Skipped", "Tests pass", "Warn", "Fail",
                 "Not run"], rows, numeric_from=2)
    if report.ok and not failed and not blocked:
        say(f"Built {len(outcomes)} nodes in {len(projects)} projects, no failures.")
        return 0
    for failure in report.failures:
        owner = mesh.domains[failure.domain].team_handle if failure.domain in mesh.domains else NO_DOMAIN
        say(f"FAILED {failure.resource_type} {failure.name} [{failure.domain}, {owner}] in {failure.path}: "
            f"{failure.message}")
    for name, why in sorted({**failed, **blocked}.items()):
        say(f"NOT RUN {name}: {why}")
    return 1


def run_waves(order: Plan, args) -> tuple[list[NodeOutcome], dict[str, str], dict[str, str]]:
    """Each wave in its project's process: every node's outcome, the domains that failed to run (why), and
    those blocked (by what)."""
    outcomes: list[NodeOutcome] = []
    failed: dict[str, str] = {}
    blocked: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="mesh-build-") as scratch:
        for index, wave in runnable_waves(order, failed, blocked):
            report = Path(scratch) / f"wave{index}.json"
            say(f"== {wave.describe()}")
            run = run_mesh(wave.project, "build", "--select", *(f"group:{d}" for d in wave.domains),
                           "--report-json", str(report), *wave_arguments(order, index, args.target, args.full_refresh),
                           *(["--quiet"] if args.quiet else []), echo=not args.quiet)
            if not report.is_file():
                for domain in wave.domains:
                    failed[domain] = f"{wave.project.name} could not run: {run.error}"
                continue
            found, left_out = read_report_json(report)
            outcomes += [outcome for outcome in found if outcome.domain in wave.domains or outcome.domain == NO_DOMAIN]
            for domain in wave.domains:
                if domain in left_out:
                    failed[domain] = f"left out of {wave.project.name}'s parse: {left_out[domain]}"
    return outcomes, failed, blocked
