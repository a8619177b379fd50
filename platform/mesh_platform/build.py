"""`dbt build` for the whole mesh or one domain, with the outcome of every node tallied per domain."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .dbt_messages import essential
from .dbt_session import DbtSession, EventCallback, describe_failure
from .errors import DbtFailure
from .files import write_text_atomically
from .manifest import Mesh
from .project import Project

NO_DOMAIN = "(no domain)"
HOOK = "operation"  # the project's on-run-start/-end hooks (domain roles and schema grants): reported when they fail
FAILED = {"error", "fail", "runtime error"}
NO_OP = "no-op"
TESTS = ("test", "unit_test")  # data tests and unit tests: pass, warn, fail or skipped
BUILD_RECORD = Path("mesh-build") / "run_results.json"  # in the target folder: what `mesh build` last did
# (what the user sees, dbt command, what that command leaves out). Exposures are left out: nothing of theirs runs,
# yet dbt reports them skipped after a failure upstream, which `mesh nightly --resume` would then wait on.
PHASES = (("Loading seeds", "seed", ()),
          ("Building models and tests", "build", ("resource_type:seed", "resource_type:exposure")))


@dataclass(frozen=True)
class NodeOutcome:
    unique_id: str
    name: str
    resource_type: str
    domain: str
    status: str
    message: str
    path: str
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in FAILED


@dataclass
class DomainTally:
    seeds_loaded: int = 0
    models_ok: int = 0
    models_failed: int = 0
    models_skipped: int = 0
    tests_passed: int = 0
    tests_warned: int = 0
    tests_failed: int = 0
    tests_skipped: int = 0

    def count(self, outcome: NodeOutcome) -> None:
        kind, status = outcome.resource_type, outcome.status
        if status == NO_OP:  # exposures: dbt build lists them, nothing runs
            return
        if kind in TESTS:
            if status == "pass":
                self.tests_passed += 1
            elif status == "warn":
                self.tests_warned += 1
            elif status == "skipped":
                self.tests_skipped += 1
            else:
                self.tests_failed += 1
        elif kind == "seed" and status == "success":
            self.seeds_loaded += 1
        elif status == "success":
            self.models_ok += 1
        elif status == "skipped":
            self.models_skipped += 1
        else:
            self.models_failed += 1


@dataclass
class BuildReport:
    outcomes: list[NodeOutcome] = field(default_factory=list)
    dbt_results: list = field(default_factory=list)  # dbt's RunExecutionResult of each phase

    @property
    def failures(self) -> list[NodeOutcome]:
        return [outcome for outcome in self.outcomes if outcome.failed]

    @property
    def ok(self) -> bool:
        return not self.failures

    def by_domain(self, mesh: Mesh) -> dict[str, DomainTally]:
        """Tallies for every declared domain (empty ones included), then nodes that belong to none."""
        tallies = {name: DomainTally() for name in mesh.domains}
        for outcome in self.outcomes:
            tallies.setdefault(outcome.domain, DomainTally()).count(outcome)
        return tallies


def selection(domain: str | None, select: Iterable[str]) -> list[str]:
    """dbt selectors for a build: a domain is its group, intersected with each --select criterion."""
    select = list(select)
    if domain is None:
        return select
    if not select:
        return [f"group:{domain}"]
    return [f"group:{domain},{criterion}" for criterion in select]


def run_build(
    session: DbtSession,
    domain: str | None = None,
    select: Iterable[str] = (),
    exclude: Iterable[str] = (),
    full_refresh: bool = False,
    state: Path | None = None,
    callbacks: Iterable[EventCallback] = (),
    on_phase: Callable[[str], None] = lambda phase: None,
    phases: tuple[str, ...] = ("seed", "build"),
) -> BuildReport:
    """Load the selected seeds, then `dbt build` the rest, in-process on one parse.

    Staging reads raw data through source(), which dbt does not link to the seeds that fill it, so the
    seeds load first (as `dbt seed && dbt build` would). `state`: a folder of dbt artifacts from an earlier
    run, for `state:` and `result:` selectors. Raises DbtFailure when dbt could not run at all.
    """
    mesh = session.mesh()
    if domain is not None:
        mesh.require_domain(domain)
    selectors = selection(domain, select)
    report = BuildReport()
    for phase, command, skip in (phase for phase in PHASES if phase[1] in phases):
        on_phase(phase)
        args = [command, *(["--select", *selectors] if selectors else [])]
        if skip or exclude:
            args += ["--exclude", *skip, *exclude]
        if full_refresh:
            args.append("--full-refresh")
        if state is not None:
            args += ["--state", str(state)]
        if domain is not None:  # a test reading another domain's product too (relationships) waits for that one
            args += ["--indirect-selection", "cautious"]
        result = session.invoke(args, callbacks=callbacks)
        if result.result is None or not hasattr(result.result, "results"):
            raise DbtFailure(f"dbt {command} could not run: {describe_failure(result, session.project)}")
        outcomes = (_outcome(node_result, mesh) for node_result in result.result.results)
        report.outcomes += [outcome for outcome in outcomes if outcome.resource_type != HOOK or outcome.failed]
        report.dbt_results.append(result.result)
    return report


def write_run_results(path: Path, dbt_results: list, over: Path | None = None) -> bool:
    """dbt's run results of `dbt_results` (a RunExecutionResult per phase) as one run_results.json at `path`, each
    node's newest result on top of those in `over` (an earlier file); False when there was nothing to write."""
    from dbt.artifacts.schemas.run import RunResultsArtifact

    merged, document = {}, None
    if over is not None and over.is_file():
        try:
            document = json.loads(over.read_text(encoding="utf-8"))
            merged = {result["unique_id"]: result for result in document["results"]}
        except (ValueError, KeyError, TypeError):
            merged, document = {}, None  # a damaged record: this run's results alone
    for phase in dbt_results:
        document = RunResultsArtifact.from_execution_results(
            results=phase.results, elapsed_time=phase.elapsed_time, generated_at=phase.generated_at,
            args=phase.args).to_dict(omit_none=False)
        merged.update({result["unique_id"]: result for result in document["results"]})
    if document is None:
        return False
    write_text_atomically(path, json.dumps({**document, "results": list(merged.values())}))
    return True


def write_report_json(path: Path, report: BuildReport, left_out: dict) -> None:
    """Every node's outcome and the domains left out of the parse (with why), as JSON (`--report-json`)."""
    write_outcomes_json(path, report.outcomes, {name: domain.path if domain.upstream is None else domain.blocked_by
                                                for name, domain in left_out.items()})


def write_outcomes_json(path: Path, outcomes: list[NodeOutcome], not_built: dict[str, str]) -> None:
    """Every node's outcome, and the domains not built ({domain: why}), as JSON."""
    from dataclasses import asdict

    write_text_atomically(path, json.dumps({"outcomes": [asdict(outcome) for outcome in outcomes],
                                            "left_out": not_built}, indent=1))


def read_report_json(path: Path) -> tuple[list[NodeOutcome], dict[str, str]]:
    """What `write_report_json` wrote."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [NodeOutcome(**outcome) for outcome in raw["outcomes"]], dict(raw["left_out"])


def record_build(project: Project, report: BuildReport) -> None:
    """Keep what this build did to each node over the earlier builds' record (BUILD_RECORD): the next dbt command,
    even a compile, overwrites dbt's own target/run_results.json."""
    record = project.target_dir / BUILD_RECORD
    write_run_results(record, report.dbt_results, over=record)


def domain_label(mesh: Mesh, uid: str) -> str:
    """Where a build reports a node: its domain; a node of an installed package under that package, as one of
    its nodes (not the project's own); anything else under NO_DOMAIN."""
    package = mesh.package_of(uid)
    return mesh.domain_of(uid) or (f"(package {package})" if package else NO_DOMAIN)


def _outcome(node_result, mesh: Mesh) -> NodeOutcome:
    node = node_result.node
    status = getattr(node_result.status, "value", node_result.status)
    return NodeOutcome(
        unique_id=node.unique_id,
        name=node.name if getattr(node, "version", None) is None else f"{node.name}.v{node.version}",
        resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
        domain=domain_label(mesh, node.unique_id),
        status=str(status),
        message=essential(node_result.message or ""),
        path=node.original_file_path,
        seconds=round(node_result.execution_time or 0.0, 3),
    )


STATUS_WORDS = {"success": "ok", "pass": "pass", "warn": "WARN", "fail": "FAIL", "error": "ERROR",
                "skipped": "skip"}


class ProgressPrinter:
    """A dbt event callback printing one line per finished node: `[ 12/141] ok    partners  model  x`.

    dbt calls it from its worker threads; a lock keeps lines whole. Call `phase` between dbt commands.
    """

    def __init__(self, mesh: Mesh, write: Callable[[str], None]):
        self.mesh = mesh
        self.write = write
        self.lock = threading.Lock()
        self.total = 0
        self.done = 0

    def phase(self, title: str) -> None:
        with self.lock:
            self.total = self.done = 0
            self.write(f"{title} ...")

    def __call__(self, event) -> None:
        name = event.info.name
        if name == "LogStartLine":
            with self.lock:
                self.total = max(self.total, event.data.total)
        elif name == "NodeFinished":
            with self.lock:
                self.done += 1
                self._line(event.data)

    def _line(self, data) -> None:
        info, result = data.node_info, data.run_result
        word = STATUS_WORDS.get(result.status, result.status)
        domain = domain_label(self.mesh, info.unique_id)
        width = len(str(self.total or self.done))
        self.write(f"[{self.done:>{width}}/{self.total or '?'}] {word:<5} {domain:<13} "
                   f"{info.resource_type:<6} {info.node_name} ({result.execution_time:.2f}s)")
