"""The nightly run: seed -> build -> orphans -> freshness -> check -> lint -> quality on one parse, each step's
findings per domain. The orphans step drops the relations in the platform's schemas that no node builds any
more; freshness is dbt's `source freshness`, a stale source reported against its domain.

A domain dbt cannot parse is left out (quarantine.py) and reported failed, those that read it blocked;
the others build.
A step that cannot run is recorded as an error and the next steps still run; a failing node only skips
its descendants (dbt's own behaviour without --fail-fast). With `resume`, only what failed or was skipped
in that run runs again, and everything else is carried over from it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..build import run_build
from ..dbt_session import DbtSession, EventCallback
from ..errors import MeshError, one_line
from ..manifest import domain_from_path
from .failure_examples import with_examples
from .impacts import consumers_hit
from .results import DBT_KINDS, FAILED, PASSED, PROJECT, SKIPPED, WARNED, DomainResult, Item, NightlyRun, Step
from .runs import copy_sources_state, dbt_state, start_run, write_dbt_state
from .steps import (
    DomainItems,
    all_domains,
    check_items,
    dbt_items,
    freshness_items,
    lint_items,
    orphan_items,
    quality_items,
    quarantine_items,
)

# what a resumed run builds again, against the earlier run's artifacts: what failed (with the nodes it reads,
# so a failed test sees its model rebuilt) or was skipped there, and what changed since with its descendants
RETRY_SELECTORS = ("1+result:error", "1+result:fail", "result:skipped", "state:modified+")


@dataclass(frozen=True)
class NightlyOptions:
    target_name: str = ""  # the dbt target's name, for the reports
    full_refresh: bool = False
    resume: NightlyRun | None = None  # the finished run to resume
    callbacks: Iterable[EventCallback] = ()  # dbt event callbacks (progress)
    on_step: Callable[[str], None] = lambda title: None
    domains: tuple[str, ...] = ()  # only these domains' night (a wave of a mesh of projects); () for all
    since: NightlyRun | None = None  # build only what new data or changed code reaches since this run
    rules: bool = True  # False: compile only, the rules are judged over the whole mesh of projects


def run_nightly(session: DbtSession, options: NightlyOptions) -> NightlyRun:
    clock = time.perf_counter()
    started = dt.datetime.now(dt.UTC)
    run_id, _ = start_run(session.project, started)
    previous = options.resume
    run = NightlyRun(run_id, started.isoformat(timespec="seconds"), options.target_name,
                     previous.run_id if previous else None)
    found: list[tuple[str, Item]] = []
    try:
        mesh = session.mesh()
    except Exception as error:  # noqa: BLE001 - whatever stops the parse is the parse step's error
        run.steps.append(Step("parse", "error", round(time.perf_counter() - clock, 2), step_error(error)))
        return _finish(run, session, None, found, clock)

    found += quarantine_items(session)
    fresh: DomainItems | None = None
    if options.since is not None:
        dbt_found, rebuilt, fresh = _new_data_step(run, session, options, mesh)
    else:
        dbt_found, rebuilt = _dbt_step(run, session, options, mesh)
    found += with_examples(session, dbt_found)  # failed tests: their stored failing rows, personal data withheld
    built = {item.key for _, item in found if item.kind == "model" and item.status in (PASSED, WARNED)}
    tonight = built & rebuilt if options.since is not None else built  # what this night built itself
    if not _step_failed(run, "seed and build"):
        found += _timed(run, "orphans", lambda: orphan_items(session), options,
                        "relations no node builds any more, dropped")
        found += fresh if fresh is not None else _timed(
            run, "freshness", lambda: freshness_items(session), options,
            "dbt source freshness against the business's clock")
        copy_sources_state(session.project, run.run_id)
        found += _sla_step(run, session, options, tonight)
    found += _check_step(run, session, previous, options)
    found += _lint_step(run, session, previous, options)
    rebuilt_names = {mesh.nodes[uid]["name"] for uid in rebuilt if uid in mesh.nodes}
    found += _quality_step(run, session, previous or options.since, built, rebuilt_names, options)
    if options.domains:  # a wave: its domains' findings, and the project's own
        found = [(name, item) for name, item in found if name in options.domains or name == PROJECT]
    return _finish(run, session, mesh, found, clock, options.domains)


def _dbt_step(run: NightlyRun, session: DbtSession, options: NightlyOptions,
              mesh) -> tuple[DomainItems, set[str]]:
    """dbt's items (the resumed run's carried over where not run again), and the nodes this run ran."""
    previous = options.resume
    state = dbt_state(session.project, previous.run_id) if previous is not None else None
    resume = state is not None and (state / "run_results.json").is_file()
    try:
        wave = [f"group:{domain}" for domain in options.domains]
        report = run_build(session, select=RETRY_SELECTORS if resume else wave, state=state if resume else None,
                           full_refresh=options.full_refresh, callbacks=options.callbacks,
                           on_phase=options.on_step)
    except Exception as error:  # noqa: BLE001 - recorded as the step's error; the other steps still run
        run.steps.append(Step("seed and build", "error", 0.0, step_error(error)))
        return _carried(previous, DBT_KINDS, keep=lambda item: item.status in (PASSED, WARNED)), set()
    items = dbt_items(report, mesh)
    _record_phases(run, report, items, {"seed": " re-run", "build": " re-run"} if resume else {})
    write_dbt_state(session.project, run.run_id, report.dbt_results,
                    previous.run_id if resume and previous is not None else None)
    rerun = {item.key for _, item in items}
    return _carried(previous, DBT_KINDS, keep=lambda item: item.key not in rerun) + items, rerun


def _record_phases(run: NightlyRun, report, items: DomainItems, said: dict[str, str]) -> None:
    """A step per dbt phase (seed, build): its status, time and node count, with what `said` adds to it."""
    for name, phase in zip(("seed", "build"), report.dbt_results, strict=False):
        failed = any(not _ok(item) for _, item in items if (item.kind == "seed") == (name == "seed"))
        run.steps.append(Step(name, "failed" if failed else "ok", round(phase.elapsed_time, 2),
                              f"{len(phase.results)} node(s){said.get(name, '')}"))


NEW_DATA = ("source_status:fresher+", "state:modified+")  # what new rows in a source, or changed code, reach


def _new_data_step(run: NightlyRun, session: DbtSession, options: NightlyOptions,
                   mesh) -> tuple[DomainItems, set[str], DomainItems]:
    """Only what is new since the last night: the raw data loaded (the seeds, as every night: dbt does not hash a
    seed over 1 MiB, so state:modified cannot tell a new day in one), then the sources' freshness (tonight's
    sources.json), then what newer source rows or changed code reach (dbt's source_status:fresher+ and
    state:modified+ against that night's artifacts), and again what failed or was skipped there (as a resumed
    run does); everything else carried over from it, as built there. Returns dbt's items, the nodes run
    tonight, and the freshness items."""
    since = options.since
    assert since is not None
    state = dbt_state(session.project, since.run_id)
    try:
        seeded = run_build(session, callbacks=options.callbacks, on_phase=options.on_step, phases=("seed",))
        fresh = _timed(run, "freshness", lambda: freshness_items(session), options,
                       "dbt source freshness against the business's clock, before the build")
        again = () if since.status == "passed" else RETRY_SELECTORS
        report = run_build(session, select=tuple(dict.fromkeys(NEW_DATA + again)), state=state,
                           callbacks=options.callbacks,
                           on_phase=options.on_step, phases=("build",))
    except Exception as error:  # noqa: BLE001 - recorded as the step's error; the other steps still run
        run.steps.append(Step("seed and build", "error", 0.0, step_error(error)))
        return _carried(since, DBT_KINDS, keep=lambda item: item.status in (PASSED, WARNED)), set(), []
    report.outcomes = seeded.outcomes + report.outcomes
    report.dbt_results = seeded.dbt_results + report.dbt_results
    items = dbt_items(report, mesh)
    _record_phases(run, report, items, {"seed": ": the raw data",
                                        "build": f": new or reached by new data since {since.run_id}"})
    write_dbt_state(session.project, run.run_id, report.dbt_results, since.run_id)
    rerun = {item.key for _, item in items}
    return _carried(since, DBT_KINDS, keep=lambda item: item.key not in rerun) + items, rerun, fresh


def _sla_step(run: NightlyRun, session: DbtSession, options: NightlyOptions, built: set[str]) -> DomainItems:
    """Each product built tonight against its SLA: freshness, and volume against earlier nights (DuckDB)."""
    from ..warehouse import duckdb_path, target_credentials
    from .sla import business_clock, measure_slas

    _, credentials = target_credentials(session.project, session.target)
    if credentials.type != "duckdb":
        run.steps.append(Step("sla", "skipped", 0.0, f"measured on DuckDB only; the target is {credentials.type}"))
        return []
    return _timed(run, "sla", lambda: measure_slas(
        session.mesh(), duckdb_path(session.project, session.target), run.run_id,
        business_clock(session.project.target_dir), built), options,
        "each product's freshness and volume against its SLA and earlier nights")


def _lint_step(run: NightlyRun, session: DbtSession, previous: NightlyRun | None,
               options: NightlyOptions) -> DomainItems:
    from ..lint.runner import sql_files

    root = session.project.root
    paths = sql_files(root)
    if options.domains:
        paths = [path for path in paths if domain_from_path(path, options.domains)]
    carried = []
    if previous is not None:  # the files that failed, and those new since
        linted = {item.key for _, item in previous.items("lint")}
        failed = _failed_keys(previous, "lint")
        present = set(paths)
        paths = [path for path in paths if path in failed or path not in linted]
        carried = _carried(previous, ("lint",), keep=lambda item: item.key not in failed and item.key in present)
    detail = f"{len(paths)} file(s)" + (", the others carried over" if previous is not None else "")
    return carried + _timed(run, "lint", lambda: lint_items(root, paths, all_domains(session)) if paths else [],
                            options, detail)


def _quality_step(run: NightlyRun, session: DbtSession, previous: NightlyRun | None, built: set[str],
                  rebuilt: set[str], options: NightlyOptions) -> DomainItems:
    """The products' suites; when resuming or building on a night, only those that failed or were skipped
    there, or were rebuilt now."""
    from ..warehouse import duckdb_path

    wanted = {node.name for domain in options.domains for node in session.mesh().products(domain)} \
        if options.domains else None
    carried = []
    if previous is not None:
        redo = rebuilt | {item.key.split("#")[0] for _, item in previous.items("quality") if not _ok(item)}
        if not _step_failed(previous, "quality"):
            wanted = redo
            carried = _carried(previous, ("quality",), keep=lambda item: item.key.split("#")[0] not in redo)
    return carried + _timed(
        run, "quality", lambda: quality_items(session, duckdb_path(session.project, session.target), built, wanted),
        options, "every data product" if wanted is None else "the products that failed, were skipped or rebuilt")


def _check_step(run: NightlyRun, session: DbtSession, previous: NightlyRun | None,
                options: NightlyOptions) -> DomainItems:
    """The rules look at the whole project: carried over from the resumed run when they passed there."""
    if not options.rules:  # the mesh of projects judges every project's compiled manifest together
        return _timed(run, "compile", lambda: [] if session.compiled_manifest() else [], options,
                      "compiled for the rules, which judge the whole mesh of projects")
    if previous is not None and not _failed_keys(previous, "check") and not _step_failed(previous, "check"):
        run.steps.append(Step("check", "ok", 0.0, f"passed in {previous.run_id}, carried over"))
        return _carried(previous, ("check",), keep=lambda item: True)
    return _timed(run, "check", lambda: check_items(session), options, "compile, then every rule")


def _timed(run: NightlyRun, name: str, work: Callable[[], DomainItems], options: NightlyOptions,
           detail: str) -> DomainItems:
    """Run a step, recording its time and status; a step that cannot run (whatever it raises) is an error,
    not a crash."""
    options.on_step({"check": "Checking the rules", "lint": "Linting SQL", "orphans": "Dropping orphaned relations",
                    "freshness": "Checking the sources' freshness",
                    "sla": "Measuring the products against their SLAs",
                     "quality": "Validating the data products"}.get(name, name))
    clock = time.perf_counter()
    try:
        items = work()
    except Exception as error:  # noqa: BLE001 - recorded as the step's error; the other steps still run
        run.steps.append(Step(name, "error", round(time.perf_counter() - clock, 2), step_error(error)))
        return []
    status = "failed" if any(item.status == FAILED for _, item in items) else "ok"
    run.steps.append(Step(name, status, round(time.perf_counter() - clock, 2), detail))
    return items


def step_error(error: Exception) -> str:
    """A step's error in one line: the message of a mistake the user can fix; the kind of anything else."""
    return one_line(error) if isinstance(error, MeshError) else one_line(f"{type(error).__name__}: {error}")


def _finish(run: NightlyRun, session: DbtSession, mesh, found: DomainItems, clock: float,
            only: tuple[str, ...] = ()) -> NightlyRun:
    domains = all_domains(session) if mesh is not None else {}
    if only:
        domains = {name: domain for name, domain in domains.items() if name in only}
    for name, domain in sorted(domains.items()):
        run.domains[name] = DomainResult(name, domain.owner_name, domain.owner_email, domain.team_handle)
    for name, item in found:
        run.domains.setdefault(name, DomainResult(name)).items.append(item)
    if PROJECT in run.domains:  # project-wide findings last
        run.domains[PROJECT] = run.domains.pop(PROJECT)
    if mesh is not None:
        run.consumers_hit = consumers_hit(run, mesh)
    run.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run.wall_seconds = round(time.perf_counter() - clock, 2)
    run.dbt_parses = session.parse_count
    return run


def _carried(previous: NightlyRun | None, kinds: tuple[str, ...], keep: Callable[[Item], bool]) -> DomainItems:
    if previous is None:
        return []
    return [(name, item) for name, item in previous.items() if item.kind in kinds and keep(item)]


def _failed_keys(previous: NightlyRun | None, kind: str) -> set[str]:
    return {item.key for _, item in previous.items(kind) if not _ok(item)} if previous else set()


def _step_failed(previous: NightlyRun, name: str) -> bool:
    return any(step.name == name and step.status == "error" for step in previous.steps)


def _ok(item: Item) -> bool:
    return item.status not in (FAILED, SKIPPED)
