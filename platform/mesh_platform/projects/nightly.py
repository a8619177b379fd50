"""`mesh nightly` over a mesh of projects: each wave of domains runs its night in its own project's process
(seed, build, orphans, freshness, SLAs, lint, quality, and a compile), in dependency order; then the rules judge
every project's compiled manifest as one mesh, and one report covers the whole mesh (the per-domain reports,
junit, notes and webhooks as for a single project).

A wave that cannot run fails its domains, and blocks the domains that read them: they do not run. A wave whose
nodes fail does not stop its readers: they run on the products as last published, and are told (consumers_hit).
"""

from __future__ import annotations

import datetime as dt
import json
import time

from ..check.cache_file import CACHE_DIR
from ..check.context import CheckContext
from ..console import say
from ..errors import MeshError
from ..nightly.impacts import consumers_hit
from ..nightly.pipeline import step_error
from ..nightly.reports import write_reports
from ..nightly.results import FAILED, PROJECT, SKIPPED, DomainResult, Item, NightlyRun, Step
from ..nightly.runs import LATEST, SUMMARY, prune_runs, start_run
from ..nightly.steps import items_of_check
from ..nightly.webhooks import notify_settings, send_webhooks
from ..warehouse import warehouse_columns
from .config import MeshProject
from .order import Plan, Wave, plan, runnable_waves, wave_arguments
from .runs import mesh_of, prepare_warehouses, the_projects
from .subprocess_run import run_mesh


def nightly_of_projects(args) -> int:
    from ..cli.nightly import say_run

    if args.resume:
        raise MeshError("--resume is for one project; at the root of a mesh of projects run the whole night, "
                        "or resume one project: mesh nightly --project-dir PROJECT --resume")
    project, projects = the_projects(args)
    notifying = notify_settings(project)
    clock = time.perf_counter()
    started = dt.datetime.now(dt.UTC)
    order = plan(projects)
    prepare_warehouses(projects, args.target)
    say(f"Nightly of {len(projects)} projects in {len(order.waves)} wave(s): "
        + " -> ".join(w.describe() for w in order.waves))
    runs, failed, blocked = _run_waves(order, args)
    run_id, folder = start_run(project, dt.datetime.now(dt.UTC))  # after the waves' own runs: the latest
    run = NightlyRun(run_id, started.isoformat(timespec="seconds"), runs[0][1].target if runs else "")
    _merge(run, runs, failed, blocked)
    mesh = None
    try:
        mesh = mesh_of(projects)
        clock_check = time.perf_counter()
        context = CheckContext(mesh, project.root, project.target_dir / CACHE_DIR,
                               warehouse=lambda: warehouse_columns(project, args.target))
        context.projects = projects
        found = items_of_check(context)
        run.steps.append(Step("check", "failed" if any(i.status == FAILED for _, i in found) else "ok",
                              round(time.perf_counter() - clock_check, 2), "every rule, over every project"))
        for name, item in found:
            run.domains.setdefault(name, DomainResult(name)).items.append(item)
    except Exception as error:  # noqa: BLE001 - the check step's error; the reports are still written
        run.steps.append(Step("check", "error", 0.0, step_error(error)))
    if mesh is not None:
        for name, domain in mesh.domains.items():
            result = run.domains.setdefault(name, DomainResult(name))
            result.owner_name, result.owner_email, result.team_handle = (
                domain.owner_name, domain.owner_email, domain.team_handle)
        run.consumers_hit = consumers_hit(run, mesh)
    if PROJECT in run.domains:
        run.domains[PROJECT] = run.domains.pop(PROJECT)
    run.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run.wall_seconds = round(time.perf_counter() - clock, 2)
    notify = send_webhooks(run, project, folder, notifying)
    if notify is not None:
        run.steps.append(notify)
    written = write_reports(run, folder, project, args.notify_dir)
    prune_runs(project, args.keep_runs)
    return say_run(run, project, folder, written, args.notify_dir)


def _run_waves(order: Plan, args):
    """Each wave's night in its project's process: [(wave, its run)], the domains that could not run (why), and
    those blocked (by what)."""
    runs: list[tuple[Wave, NightlyRun]] = []
    failed: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for index, wave in runnable_waves(order, failed, blocked):
        say(f"== {wave.describe()}")
        before = _latest_id(wave.project)
        result = run_mesh(wave.project, "nightly", "--wave", *wave.domains, "--quiet", "--keep-runs",
                          str(args.keep_runs), *wave_arguments(order, index, args.target, args.full_refresh),
                          echo=not args.quiet)
        summary = _summary(wave.project, before)
        if summary is None:
            for domain in wave.domains:
                failed[domain] = f"{wave.project.name} could not run: {result.error}"
            continue
        runs.append((wave, summary))
    return runs, failed, blocked


def _latest_id(project: MeshProject) -> str | None:
    pointer = project.root / "target" / "nightly" / LATEST
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


def _summary(project: MeshProject, before: str | None) -> NightlyRun | None:
    """The run the wave's process just finished, None when it finished none."""
    run_id = _latest_id(project)
    path = project.root / "target" / "nightly" / (run_id or "") / SUMMARY
    if run_id is None or run_id == before or not path.is_file():
        return None
    try:
        return NightlyRun.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError):
        return None


def _merge(run: NightlyRun, runs: list[tuple[Wave, NightlyRun]], failed: dict[str, str],
           blocked: dict[str, str]) -> None:
    """One night of the waves' nights: each wave's domains, its steps named after its project, the parses."""
    last_wave_of = {wave.project.name: index for index, (wave, _) in enumerate(runs)}
    for index, (wave, night) in enumerate(runs):
        for step in night.steps:
            run.steps.append(Step(f"{wave.project.name}: {step.name}", step.status, step.seconds, step.detail))
        run.dbt_parses += night.dbt_parses
        for name, domain in night.domains.items():
            if name == PROJECT and last_wave_of[wave.project.name] != index:
                continue  # a project's own findings, once: from its last wave
            run.domains.setdefault(name, DomainResult(name)).items.extend(domain.items)
    for name, why in failed.items():
        run.domains.setdefault(name, DomainResult(name)).items.append(
            Item("parse", f"domain:{name}", f"models/{name}/", FAILED, why))
    for name, why in blocked.items():
        run.domains.setdefault(name, DomainResult(name)).items.append(
            Item("parse", f"domain:{name}", f"models/{name}/", SKIPPED, f"not run: {why}"))


