"""`mesh build` over a mesh of projects: each wave of domains built in its own project's process, in order.

A wave that cannot run (its project does not parse, its process fails) fails its domains, and the domains that
read them, directly or not, are blocked: not built. A wave whose nodes fail does not stop its readers: they
build on the products as last published (a failed model leaves the last good table in place).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..build import NO_DOMAIN, BuildReport, DomainTally, NodeOutcome, read_report_json, write_outcomes_json
from ..console import print_table, say
from .order import Wave, domain_reads, later_domains, plan_waves, project_domains
from .runs import mesh_of, prepare_warehouses, the_projects
from .subprocess_run import run_mesh


def build_projects(args) -> int:
    project, projects = the_projects(args)
    if args.select or args.exclude or args.state:
        say("mesh build at the root of a mesh of projects builds every project; for --select, --exclude or "
            "--state, build one project: mesh build --project-dir PROJECT ...")
        return 2
    waves = plan_waves(projects)
    if args.domain:
        waves = [Wave(wave.project, (args.domain,)) for wave in waves if args.domain in wave.domains]
        if not waves:
            say(f"unknown domain '{args.domain}'")
            return 2
    prepare_warehouses(projects, args.target)
    say(f"Building {len(projects)} projects in {len(waves)} wave(s): " + " -> ".join(w.describe() for w in waves))
    outcomes, failed, blocked = run_waves(waves, projects, args)
    report = BuildReport(outcomes)
    if args.report_json is not None:
        write_outcomes_json(args.report_json, outcomes, {**failed, **blocked})
    mesh = mesh_of(projects)
    tallies: dict[str, DomainTally] = {name: DomainTally() for wave in waves for name in wave.domains}
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


def run_waves(waves: list[Wave], projects, args) -> tuple[list[NodeOutcome], dict[str, str], dict[str, str]]:
    """Each wave in its project's process: every node's outcome, the domains that failed to run (why), and
    those blocked (by what)."""
    graduated = {domain for member in projects for domain in member.domains}
    homes = {domain: member for member in projects for domain in project_domains(member, graduated)}
    reads = domain_reads(projects, homes)
    outcomes: list[NodeOutcome] = []
    failed: dict[str, str] = {}
    blocked: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="mesh-build-") as scratch:
        for index, wave in enumerate(waves):
            stopped = {d: _first_stop(d, reads, failed, blocked) for d in wave.domains}
            for domain, why in stopped.items():
                if why:
                    blocked[domain] = why
            domains = [d for d in wave.domains if not stopped[d]]
            if not domains:
                continue
            report = Path(scratch) / f"wave{index}.json"
            say(f"== {wave.project.name}: {', '.join(domains)}")
            extra = [*(["--full-refresh"] if args.full_refresh else []),
                     *(["--target", args.target] if args.target else [])]
            later = later_domains(waves, index)
            run = run_mesh(wave.project, "build", "--select", *(f"group:{d}" for d in domains), "--report-json",
                           str(report), *extra, *(["--leave-out", *later] if later else []),
                           *([] if not args.quiet else ["--quiet"]), echo=not args.quiet)
            if not report.is_file():
                for domain in domains:
                    failed[domain] = f"{wave.project.name} could not run: {run.error}"
                continue
            found, left_out = read_report_json(report)
            outcomes += [outcome for outcome in found if outcome.domain in domains or outcome.domain == NO_DOMAIN]
            for domain in domains:
                if domain in left_out:
                    failed[domain] = f"left out of {wave.project.name}'s parse: {left_out[domain]}"
    return outcomes, failed, blocked


def _first_stop(domain: str, reads: dict[str, set[str]], failed: dict[str, str], blocked: dict[str, str]) -> str:
    """Why `domain` cannot run: a domain it reads (directly or not) failed to run or was blocked; else ''."""
    seen, queue = set(), list(reads.get(domain, ()))
    while queue:
        upstream = queue.pop()
        if upstream in seen:
            continue
        seen.add(upstream)
        if upstream in failed:
            return f"it reads {upstream}, which could not run"
        queue.extend(reads.get(upstream, ()))
    return ""
