"""Each product's last build as the platform recorded it, never as whichever dbt command ran last (a `dbt
compile`, or `mesh check`'s, overwrites target/run_results.json).

The nightly's reports come first: the last finished run's summary.json says how each node fared that night and
which products it could not validate, and the kept runs' dbt/run_results.json when each node last built
successfully. When no nightly ran, the last `mesh build`'s record (target/mesh-build/run_results.json) tells.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..build import BUILD_RECORD
from ..nightly.results import SKIPPED, NightlyRun
from ..nightly.runs import DBT_STATE, LATEST, RUN_ID, SUMMARY, nightly_root
from ..project import Project
from .facts import ProductFacts

BUILD_COMMANDS = {"build", "run"}  # run results of `dbt compile` or `dbt show` say nothing about the tables
DBT_STATUS = {"success": "passed", "skipped": "skipped"}  # anything else failed
WHAT_TO_RUN = "run `mesh nightly` (or `mesh build`)"
RUN_RESULTS = "run_results.json"


@dataclass(frozen=True)
class BuildResult:
    status: str  # passed, failed or skipped
    run: str  # what ran it: "nightly 20261123T020000Z" or "mesh build"
    at: dt.datetime | None  # when that run finished
    message: str = ""


@dataclass
class BuildRecord:
    source: str | None = None  # "the nightly" or "mesh build"; None: no build recorded
    last: dict[str, BuildResult] = field(default_factory=dict)  # unique id -> its last build
    succeeded: dict[str, dt.datetime] = field(default_factory=dict)  # unique id -> last successful build (UTC)
    nightly: NightlyRun | None = None  # the last finished night
    unvalidated: dict[str, str] = field(default_factory=dict)  # product -> why the last night did not validate it
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Freshness:
    status: str  # fresh, stale, built (no SLA), failed, blocked (skipped) or unknown
    detail: str


def read_builds(project: Project, products: Collection[ProductFacts]) -> BuildRecord:
    """The record of the nightly's kept runs, else of the last `mesh build`."""
    wanted = {product.latest.unique_id for product in products}
    runs = sorted((path for path in nightly_root(project).glob("*") if path.is_dir() and RUN_ID.fullmatch(path.name)),
                  reverse=True)
    if runs:
        return _nightly(project, runs, wanted, products)
    path = project.target_dir / BUILD_RECORD
    return _mesh_build(path) if path.is_file() else BuildRecord()


def _mesh_build(path: Path) -> BuildRecord:
    record = BuildRecord("mesh build", succeeded=last_successful_builds([path]))
    document = _decode(path)
    finished = _generated_at(document)
    for result in document.results if document else ():
        record.last[result.unique_id] = BuildResult(DBT_STATUS.get(result.status, "failed"), "mesh build",
                                                    _completed(result) or finished, result.message or "")
    return record


def _nightly(project: Project, runs: list[Path], wanted: set[str], products: Collection[ProductFacts]) -> BuildRecord:
    record = BuildRecord("the nightly", succeeded=last_successful_builds(run / DBT_STATE / RUN_RESULTS for run in runs))
    pointer = nightly_root(project) / LATEST
    started = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None
    for folder in runs:
        night = _summary(folder, project, record.notes)
        if night is None:
            continue
        if record.nightly is None:
            record.nightly = night
            record.unvalidated = _unvalidated(night, products)
        finished = parse_time(night.finished_at)
        for _, item in night.items("model"):
            if item.key not in record.last:
                status = item.status if item.status in ("passed", SKIPPED) else "failed"
                record.last[item.key] = BuildResult(status, f"nightly {night.run_id}", finished, item.message)
        if wanted <= set(record.last):
            break
    if started is not None and (record.nightly is None or record.nightly.run_id != started):
        record.notes.append(f"the nightly run {started} did not finish (no {SUMMARY}); "
                            + (f"showing {record.nightly.run_id}, the last one that did" if record.nightly else
                               "no run finished"))
    return record


def _summary(folder: Path, project: Project, notes: list[str]) -> NightlyRun | None:
    path = folder / SUMMARY
    if not path.is_file():
        return None
    try:
        return NightlyRun.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        notes.append(f"cannot read {project.relative(path)} ({error}); that night is left out")
        return None


def _unvalidated(night: NightlyRun, products: Collection[ProductFacts]) -> dict[str, str]:
    """The products whose suites the night did not run, and why."""
    broken = next((step for step in night.steps if step.name == "quality" and step.status == "error"), None)
    if broken is not None:
        return {product.name: f"the quality step of nightly {night.run_id} could not run: {broken.detail}"
                for product in products}
    return {item.key.split("#")[0]: f"{item.message or 'not validated'} (nightly {night.run_id})"
            for _, item in night.items("quality") if item.status == SKIPPED}


def freshness(product: ProductFacts, record: BuildRecord, now: dt.datetime) -> Freshness:
    """The latest version's last build: failed or blocked when it did not build, else how old its last successful
    build is against the product's SLA."""
    uid = product.latest.unique_id
    if record.source is None:
        return Freshness("unknown", f"no build recorded: {WHAT_TO_RUN}")
    when, last = record.succeeded.get(uid), record.last.get(uid)
    limit = product.max_staleness_hours
    sla = "no SLA declared" if limit is None else f"the SLA allows {limit:g} h"
    if last is not None and last.status != "passed":
        data = f"its data is from {_age(when, now)}" if when else "it has never built successfully"
        why = f": {last.message}" if last.message and last.status == "failed" else ""
        return Freshness("failed" if last.status == "failed" else "blocked",
                         f"{last.status} in its last build ({last.run}){why}; {data}; {sla}")
    if when is None:
        return Freshness("unknown", f"no successful build recorded by {record.source}: {WHAT_TO_RUN}")
    detail = f"built {_age(when, now)} ({last.run if last else record.source}); {sla}"
    if limit is None:
        return Freshness("built", detail)
    hours = max((now - when).total_seconds() / 3600, 0.0)
    return Freshness("fresh" if hours <= limit else "stale", detail)


def _age(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None:
        return "an unknown time"
    hours = max((now - when).total_seconds() / 3600, 0.0)
    age = f"{hours:.0f} h" if hours >= 2 else f"{hours * 60:.0f} min"
    return f"{when.strftime('%Y-%m-%d %H:%M UTC')}, {age} ago"


class _Timing(msgspec.Struct, frozen=True):
    name: str
    completed_at: str | None = None


class _Result(msgspec.Struct, frozen=True):
    unique_id: str
    status: str
    timing: list[_Timing] = []
    message: str | None = None


class _Args(msgspec.Struct, frozen=True):
    which: str | None = None


class _Metadata(msgspec.Struct, frozen=True):
    generated_at: str | None = None


class _RunResults(msgspec.Struct, frozen=True):
    results: list[_Result] = []
    args: _Args = _Args()
    metadata: _Metadata = _Metadata()


def _decode(path: Path) -> _RunResults | None:
    """dbt's run results of a build or run; None for another command's, or a half-written or foreign file."""
    try:
        document = msgspec.json.decode(path.read_bytes(), type=_RunResults)
    except (OSError, msgspec.DecodeError):
        return None
    return document if document.args.which in BUILD_COMMANDS else None


def last_successful_builds(files: Iterable[Path]) -> dict[str, dt.datetime]:
    """When each node last built successfully, over the run results of `dbt build`/`dbt run` in `files`."""
    built: dict[str, dt.datetime] = {}
    for path in files:
        document = _decode(path) if path.is_file() else None
        for result in document.results if document else ():
            when = _completed(result)
            if result.status == "success" and when and when > built.get(result.unique_id, when - dt.timedelta(1)):
                built[result.unique_id] = when
    return built


def _completed(result: _Result) -> dt.datetime | None:
    finished = next((t.completed_at for t in result.timing if t.name == "execute" and t.completed_at), None)
    return parse_time(finished)


def _generated_at(document: _RunResults | None) -> dt.datetime | None:
    return parse_time(document.metadata.generated_at) if document else None


def parse_time(text: str | None) -> dt.datetime | None:
    """An ISO time as UTC; None for none or a malformed one."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)
