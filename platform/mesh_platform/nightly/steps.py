"""Each nightly step's findings as items per domain: dbt nodes, rule findings, linted files, expectations."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..build import NO_OP, BuildReport, NodeOutcome
from ..dbt_session import DbtSession
from ..errors import one_line
from ..manifest import Mesh, domain_from_path
from .results import FAILED, PASSED, PROJECT, SKIPPED, WARNED, Item

DomainItems = list[tuple[str, Item]]
DBT_STATUS = {"success": PASSED, "pass": PASSED, "warn": WARNED, "skipped": SKIPPED}
DBT_KIND = {"seed": "seed", "test": "test", "unit_test": "test"}  # models, snapshots: "model"


def quarantine_items(session: DbtSession) -> DomainItems:
    """One item per domain left out of the parse: failed on its own file, or skipped (blocked) by another's."""
    from ..quarantine import described

    items = []
    for name, left_out in sorted(session.quarantined.items()):
        if left_out.upstream is None:
            items.append((name, Item("parse", left_out.path, left_out.path, FAILED,
                                     f"dbt could not parse it, so the domain was left out of the run: "
                                     f"{described(left_out, session.mesh())}", left_out.path)))
        else:
            items.append((name, Item("parse", left_out.path, f"models/{name}/", SKIPPED,
                                     f"left out: {left_out.blocked_by}, which "
                                     f"could not be parsed", left_out.path, related=(f"domain {left_out.upstream}",))))
    return items


def left_out_domains(session: DbtSession) -> dict:
    """The domains left out of the parse, each with its owner as its group's YAML says."""
    return {name: domain.owner(session.project) for name, domain in session.quarantined.items()}


def all_domains(session: DbtSession) -> dict:
    """The parsed domains and those left out of the parse."""
    return {**left_out_domains(session), **session.mesh().domains}


FRESHNESS_STATUS = {"pass": PASSED, "warn": WARNED, "error": FAILED, "runtime error": FAILED}


def freshness_items(session: DbtSession) -> DomainItems:
    """dbt's `source freshness` on the session's parse: one item per source with a freshness, in its domain."""
    from ..dbt_session import describe_failure
    from ..errors import DbtFailure

    result = session.invoke(["source", "freshness"])
    if result.result is None:
        raise DbtFailure(f"dbt could not check the sources' freshness: {describe_failure(result, session.project)}")
    mesh = session.mesh()
    items = []
    for found in result.result.results:
        source = found.node
        if source.resource_type != "source":  # the project's on-run hooks run with it
            continue
        status = FRESHNESS_STATUS.get(str(found.status), FAILED)
        items.append((mesh.domain_of(source.unique_id) or PROJECT,
                      Item("freshness", source.unique_id, f"{source.source_name}.{source.name}", status,
                           _freshness_message(found), source.original_file_path)))
    return items


def _freshness_message(found) -> str:
    """How old the source's newest row is, against what its freshness allows (or dbt's error)."""
    if str(found.status) == "runtime error" or found.max_loaded_at is None:
        return f"could not be measured: {one_line(found.message or 'no rows')}"
    limits = found.node.freshness
    allowed = ", ".join(f"{word} after {limit.count} {limit.period}(s)" for word, limit in
                        (("warn", limits.warn_after), ("error", limits.error_after)) if limit and limit.count)
    state = {"pass": "fresh", "warn": "late", "error": "stale"}.get(str(found.status), str(found.status))
    return (f"{state}: newest row {found.max_loaded_at:%Y-%m-%d %H:%M}, {found.age / 3600:.0f} h before "
            f"{found.snapshotted_at:%Y-%m-%d %H:%M} ({allowed})")


def orphan_items(session: DbtSession) -> DomainItems:
    """Relations no node builds any more, dropped: one warned item each, in the domain whose schema held it."""
    from .orphans import drop_orphans

    dropped = drop_orphans(session, session.mesh(), spared={*session.quarantined, *session.set_aside})
    return [(orphan.domain or PROJECT, Item("orphan", orphan.relation, orphan.relation, WARNED,
                                            f"dropped {orphan.type} {orphan.relation}: no node of the project "
                                            f"builds it any more"))
            for orphan in dropped]


def dbt_items(report: BuildReport, mesh: Mesh) -> DomainItems:
    """One item per node dbt ran; a failure names the nodes it skipped, a skipped node the failure(s)."""
    by_id = {outcome.unique_id: outcome for outcome in report.outcomes}
    skipped = {uid for uid, outcome in by_id.items() if outcome.status == "skipped"}
    causes = defaultdict(list)
    blocked = {}
    for outcome in report.outcomes:
        if outcome.failed:
            blocked[outcome.unique_id] = sorted(descendants(mesh, outcome.unique_id) & skipped)
            for uid in blocked[outcome.unique_id]:
                causes[uid].append(_label(by_id[outcome.unique_id]))
    items = []
    for outcome in report.outcomes:
        if outcome.status == NO_OP:  # exposures: listed by dbt build, nothing ran
            continue
        status = DBT_STATUS.get(outcome.status, FAILED)
        related = [_label(by_id[uid]) for uid in blocked.get(outcome.unique_id, [])] \
            or causes.get(outcome.unique_id, [])
        message = outcome.message if status != SKIPPED else f"skipped: {', '.join(related) or 'upstream'} failed"
        items.append((outcome.domain, Item(DBT_KIND.get(outcome.resource_type, "model"), outcome.unique_id,
                                           outcome.name, status, message, outcome.path, outcome.seconds,
                                           tuple(related))))
    return items


def descendants(mesh: Mesh, unique_id: str) -> set[str]:
    """What dbt skips when a node fails: its descendants; for a failed test, those of the node it tests."""
    node = mesh.nodes.get(unique_id)
    start = mesh.parents(unique_id) if node is not None and node.resource_type == "test" else [unique_id]
    return set().union(*(mesh.descendants(uid) for uid in start)) - {unique_id}


def _label(outcome: NodeOutcome) -> str:
    return f"{outcome.resource_type} {outcome.name} ({outcome.domain})"


def check_items(session: DbtSession) -> DomainItems:
    """The rules over the compiled manifest: an item per open finding, a passing one per clean domain."""
    from ..check.context import CheckContext
    from ..warehouse import warehouse_columns

    project = session.project
    context = CheckContext(session.compiled_manifest(), project.root,
                           warehouse=lambda: warehouse_columns(project, session.target))
    context.left_out = left_out_domains(session)
    return items_of_check(context)


def items_of_check(context) -> DomainItems:
    """The rules over a check context (one project, or a mesh of projects): an item per open finding, a passing
    one per clean domain."""
    from ..check.engine import check_context

    result, ctx = check_context(context)
    items = []
    for finding in result.open:
        violation = finding.violation
        node = ctx.facts.node(violation.node)
        name = node.name if node is not None else violation.node
        items.append((violation.domain or PROJECT,
                      Item("check", violation.key, f"{violation.code} {name}",
                           FAILED if finding.severity == "error" else WARNED, violation.message,
                           violation.path or "")))
    clean = set(ctx.domains) - {domain for domain, _ in items}
    items += [(domain, Item("check", f"rules:{domain}", f"{len(result.rules)} rules", PASSED)) for domain in clean]
    return items


def lint_items(root: Path, paths: list[str], domains) -> DomainItems:
    """One item per SQL file: passed, or failed with its violations."""
    from ..lint.runner import lint

    found = defaultdict(list)
    for violation in lint(root, paths):
        found[violation.path].append(violation)
    items = []
    for path in paths:
        lines = [f"{v.line}:{v.column} {v.code} {v.description}" for v in found.get(path, [])]
        message = f"{len(lines)} violation(s): " + "; ".join(lines) if lines else ""
        items.append((domain_from_path(path, domains) or PROJECT,
                      Item("lint", path, path, FAILED if lines else PASSED, message, path)))
    return items


def quality_items(session: DbtSession, warehouse: Path, built: set[str], wanted: set[str] | None) -> DomainItems:
    """The products' suites; a product whose model did not build this run is skipped, not validated.

    `built`: unique ids of models that built; `wanted`: product names to validate (None: all)."""
    from ..quality.runner import products_in_scope, run_quality

    mesh = session.mesh()
    products = [node for node in products_in_scope(mesh, None, None)
                if wanted is None or node["name"] in wanted]
    ready = {node["unique_id"] for node in products if node["unique_id"] in built}
    run = run_quality(session.project.root, mesh, warehouse, only=ready)
    items: DomainItems = []
    numbers: dict[str, int] = defaultdict(int)
    for outcome in run.outcomes:
        numbers[outcome.product] += 1
        message = "" if outcome.success else f"observed {outcome.observed}" + (
            f"; {outcome.failing_rows} failing row(s)" if outcome.failing_rows else "")
        items.append((outcome.domain or PROJECT,
                      Item("quality", f"{outcome.product}#{numbers[outcome.product]}",
                           f"{outcome.product}: {outcome.spec.label()}", PASSED if outcome.success else FAILED,
                           message)))
    for node in products:
        if node["unique_id"] not in ready:
            items.append((mesh.domain_of(node["unique_id"]) or PROJECT,
                          Item("quality", f"{node['name']}#skipped", node["name"], SKIPPED,
                               "not validated: its model did not build in this run", node["original_file_path"])))
    return items
