"""Who a night's problems reach: for each product that failed, was skipped, failed its quality suite or reads a
stale source, the other domains whose models read it (by the manifest's lineage) and which of theirs it hits."""

from __future__ import annotations

from ..manifest import Mesh
from .results import FAILED, SKIPPED, WARNED, Impact, NightlyRun

PROBLEM = {("model", FAILED): "failed to build", ("model", SKIPPED): "was not built (something upstream failed)",
           ("quality", FAILED): "failed its quality suite", ("freshness", FAILED): "reads a stale source",
           ("freshness", WARNED): "reads a late source", ("sla", FAILED): "breached its SLA",
           ("sla", WARNED): "is outside its SLA"}


def consumers_hit(run: NightlyRun, mesh: Mesh) -> dict[str, list[Impact]]:
    """{consuming domain: what upstream problem reaches it, and its own products (or models) affected}."""
    problems: dict[str, str] = {}
    products_by_name = {name: node.unique_id for name, node in mesh.latest_products().items()}
    for _, item in run.items():
        reason = PROBLEM.get((item.kind, item.status))
        if reason is None:
            continue
        if item.kind in ("model", "sla") and mesh.is_product(item.key):
            problems.setdefault(item.key, reason if item.kind == "model" else f"{reason} ({item.message})")
        elif item.kind == "quality" and item.name in products_by_name:
            problems.setdefault(products_by_name[item.name], reason)
        elif item.kind == "freshness" and mesh.node(item.key) is not None:
            for uid in mesh.descendants(item.key):
                if mesh.is_product(uid) and mesh.domain_of(uid) == mesh.domain_of(item.key):
                    problems.setdefault(uid, f"{reason} ({item.name})")
    hit: dict[str, list[Impact]] = {}
    for uid, reason in sorted(problems.items()):
        producer = mesh.domain_of(uid)
        reached: dict[str, set[str]] = {}
        for downstream in mesh.descendants(uid):
            consumer = mesh.domain_of(downstream)
            entry = mesh.nodes.get(downstream)
            if consumer and consumer != producer and entry is not None and entry.resource_type == "model":
                reached.setdefault(consumer, set()).add(downstream)
        for consumer, nodes in sorted(reached.items()):
            products = sorted(mesh.label(node) for node in nodes if mesh.is_product(node))
            affected = products or sorted(mesh.label(node) for node in nodes)
            hit.setdefault(consumer, []).append(Impact(f"{mesh.label(uid)} ({producer})", reason, tuple(affected)))
    return hit
