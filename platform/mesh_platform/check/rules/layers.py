"""Layers and names: staging -> intermediate -> marts, each doing one job, dependencies flowing one way."""

from __future__ import annotations

import re

from ...manifest import LAYERS
from ..context import CheckContext
from ..facts import NodeFacts
from ..registry import Violation, rule

NAMES = {
    "staging": (re.compile(r"^stg_[a-z0-9]+(_[a-z0-9]+)*__[a-z0-9_]+$"),
                "stg_<source>__<entity> in lower case (e.g. stg_crm__merchants)"),
    "intermediate": (re.compile(r"^int_[a-z0-9_]+$"), "int_<name> in lower case (e.g. int_advances_priced)"),
    "marts": (re.compile(r"^(?!stg_|int_)[a-z][a-z0-9_]*$"),
              "the entity at its grain in lower case, without stg_/int_ (e.g. advances)"),
}


def _model_violation(code: str, node: NodeFacts, message: str, related: str = "") -> Violation:
    return Violation(code, node.unique_id, f"{node.label} {message}", node.domain, node.path, related)


@rule("LAY001")
def layer_naming(ctx: CheckContext):
    """A model sits in a layer folder (staging, intermediate, marts) and is named for that layer.

    Rationale: names tell a reader what a model is and whether it may be used.
    Anti-pattern: `customers_clean.sql` in staging, or a model directly under `models/<domain>/`.
    Best practice: `staging/<source>/stg_<source>__<entity>s`, `intermediate/int_<entity>s_<verb>s`,
    `marts/<entity>`.
    """
    for node in ctx.facts.models:
        if node.folder is None:
            continue  # outside any domain: OWN001's business
        if node.layer is None:
            yield _model_violation("LAY001", node, "is not in a staging/, intermediate/ or marts/ folder")
            continue
        pattern, expected = NAMES[node.layer]
        if not pattern.match(node.name):
            yield _model_violation("LAY001", node, f"is in {node.layer}/ but not named {expected}")


@rule("LAY002")
def staging_reads_only_sources(ctx: CheckContext):
    """A staging model reads only sources.

    Rationale: staging mirrors one source system, renamed and typed, and nothing else.
    Anti-pattern: a staging model that joins another model.
    Best practice: joins belong in intermediate models.
    """
    facts = ctx.facts
    for node in facts.models:
        if node.layer == "staging":
            for parent in node.parents:
                if parent.startswith("model."):
                    yield _model_violation("LAY002", node, f"is staging but reads model {facts.label(parent)}", parent)


@rule("LAY003")
def only_staging_reads_sources(ctx: CheckContext):
    """Only staging models call source(); intermediate models and marts read models.

    Rationale: one place per source system where raw data is typed and renamed, so a change in the
    source is fixed once.
    Anti-pattern: a mart that selects straight from a raw table.
    Best practice: add a staging model and ref() it.
    """
    facts = ctx.facts
    for node in facts.models:
        if node.layer in ("intermediate", "marts"):
            for parent in node.parents:
                if parent.startswith("source."):
                    yield _model_violation("LAY003", node, f"is {node.layer} but reads {facts.label(parent)}; only "
                                           f"staging calls source()", parent)


@rule("LAY004")
def intermediate_is_private(ctx: CheckContext):
    """An intermediate model is private to its domain.

    Rationale: intermediate models are the domain's working parts; publishing them freezes internals.
    Anti-pattern: `access: public` or `protected` on an int_ model.
    Best practice: `+access: private` on the intermediate folder; publish a mart instead.
    """
    for node in ctx.facts.models:
        if node.layer == "intermediate" and node.access != "private":
            yield _model_violation("LAY004", node, f"is intermediate but {node.access}; make it private")


@rule("LAY005")
def no_backward_dependency(ctx: CheckContext):
    """Within a domain, dependencies flow staging -> intermediate -> marts, never back.

    Rationale: a staging model that reads a mart makes a cycle of meaning and breaks rebuilds.
    Anti-pattern: an intermediate model selecting from the domain's own mart.
    Best practice: move the shared logic down a layer.
    """
    facts = ctx.facts
    for node in facts.models:
        if node.layer is None:
            continue
        for parent in node.parents:
            upstream = facts.nodes.get(parent)
            if upstream is None or upstream.resource_type != "model" or upstream.domain != node.domain:
                continue
            if upstream.layer and LAYERS[upstream.layer] > LAYERS[node.layer]:
                yield _model_violation("LAY005", node,
                                       f"is {node.layer} but reads {upstream.layer} model {upstream.label}", parent)
