"""Nightly run folders under target/nightly/: one per run, the latest one named, dbt's state kept for --resume."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from ..errors import MeshError
from ..files import write_text_atomically
from ..project import Project
from .results import NightlyRun

LATEST = "LATEST"  # holds the id of the run started last
SUMMARY = "summary.json"
RUN_ID = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
DBT_STATE = "dbt"  # the run's merged run_results.json (and manifest.json): `--state` for `result:` selectors


def nightly_root(project: Project) -> Path:
    return project.target_dir / "nightly"


def start_run(project: Project, now: dt.datetime) -> tuple[str, Path]:
    """A new, empty run folder named after the time (UTC); it becomes the latest run."""
    root = nightly_root(project)
    base = now.strftime("%Y%m%dT%H%M%SZ")
    run_id, suffix = base, 1
    while (root / run_id).exists():
        suffix += 1
        run_id = f"{base}-{suffix}"
    (root / run_id).mkdir(parents=True)
    write_text_atomically(root / LATEST, run_id + "\n")
    return run_id, root / run_id


def prune_runs(project: Project, keep: int) -> None:
    """Delete the reports of all but the last `keep` runs (run folders only; anything else is left alone)."""
    runs = sorted(path for path in nightly_root(project).iterdir() if path.is_dir() and RUN_ID.fullmatch(path.name))
    for old in runs[:-keep]:
        shutil.rmtree(old)


def latest_run(project: Project) -> tuple[str, NightlyRun | None] | None:
    """The id of the run started last and its summary (None when that run did not finish); None if none ran."""
    pointer = nightly_root(project) / LATEST
    if not pointer.is_file():
        return None
    run_id = pointer.read_text(encoding="utf-8").strip()
    summary = nightly_root(project) / run_id / SUMMARY
    if not summary.is_file():
        return run_id, None
    try:
        return run_id, NightlyRun.from_dict(json.loads(summary.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as error:
        raise MeshError(f"cannot read {project.relative(summary)} ({error}); run `mesh nightly` without "
                        f"--resume") from None


def finished_runs(project: Project) -> list[NightlyRun]:
    """The runs that finished (passed or failed), newest first (a summary that cannot be read is skipped)."""
    root = nightly_root(project)
    found: list[NightlyRun] = []
    if not root.is_dir():
        return found
    for folder in sorted((path for path in root.iterdir() if path.is_dir() and RUN_ID.fullmatch(path.name)),
                         reverse=True):
        try:
            run = NightlyRun.from_dict(json.loads((folder / SUMMARY).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found.append(run)
    return found


def dbt_state(project: Project, run_id: str) -> Path:
    return nightly_root(project) / run_id / DBT_STATE


def write_dbt_state(project: Project, run_id: str, dbt_results: list, previous: str | None) -> None:
    """One run_results.json for the run's dbt phases, on top of the resumed run's, plus the manifest."""
    from ..build import write_run_results

    earlier = dbt_state(project, previous) / "run_results.json" if previous is not None else None
    folder = dbt_state(project, run_id)
    if not write_run_results(folder / "run_results.json", dbt_results, over=earlier):
        return
    if (project.target_dir / "manifest.json").is_file():
        shutil.copy2(project.target_dir / "manifest.json", folder / "manifest.json")


def copy_sources_state(project: Project, run_id: str) -> None:
    """Keep dbt's sources.json (the freshness of each source) with the run's dbt artifacts."""
    sources = project.target_dir / "sources.json"
    if sources.is_file():
        folder = dbt_state(project, run_id)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(sources, folder / "sources.json")
