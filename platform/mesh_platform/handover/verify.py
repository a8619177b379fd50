"""A handover's result is checked before it is kept: dbt compiles the project, the baseline entries of what
moved follow it (baseline.py), and `mesh check` runs; a finding of what the handover touched undoes it all.

A project written for another warehouse than the adapter it is parsed with (`written_for.py`: a Snowflake
project parsed with a DuckDB stand-in) is checked on dbt's parse, as `mesh adopt` does: its SQL would not
compile here. The rules that judge compiled SQL are then not run, said so, and their baseline entries kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MeshError, one_line
from ..manifest import Mesh
from ..project import Project
from .baseline import new_unique_id, rekeyed, touched

PARTIAL_PARSE = "partial_parse.msgpack"


@dataclass(frozen=True)
class Verified:
    rules: int
    debt: list[str]  # the moved nodes' baseline entries kept, as `RULE name`: now the new owner's
    dropped: int  # the moved nodes' baseline entries the check no longer finds
    untouched_errors: int  # errors of the check on what the handover did not touch (there before it)
    carried: list[str] = field(default_factory=list)  # reads of legacy products recorded as debt (LEG001 name)
    not_run: list[str] = field(default_factory=list)  # rules that need compiled SQL, on a parse alone
    written_for: str | None = None  # the warehouse of a project checked on its parse (its SQL not compiled)


def verify(project: Project, target: str | None, before: Mesh, moved: dict[str, str],
           published: dict[str, str] | None = None, carried: list[tuple[str, str]] | None = None) -> Verified:
    """Compile the moved project (parse it, for a foreign warehouse's), move the baseline entries and run the
    check; MeshError when the check finds an error on a node the handover moved or published or on a reader of
    one. `carried`: the (reader, product) reads of legacy products the handover turns into dependencies on
    legacy, recorded as the new owner's debt. Runs inside the changeset's journal."""
    from ..check.baseline import entry, read_entries, write_entries
    from ..check.config import load_config
    from ..check.context import CheckContext
    from ..check.engine import run_check
    from ..check.registry import all_rules
    from ..check.rules.legacy import LEGACY_RULE
    from ..dbt_session import DbtSession
    from ..warehouse import warehouse_columns
    from ..written_for import foreign

    # dbt's partial parse keeps a unit test that moved between YAML files in both (dbt-core 1.11): parse afresh
    (project.target_dir / PARTIAL_PARSE).unlink(missing_ok=True)
    session = DbtSession(project, target)
    elsewhere = foreign(project.root, before.dialect)
    after = Mesh(session.manifest() if elsewhere else session.compiled_manifest())
    config = load_config(project.root, set(all_rules()))
    ctx = CheckContext(after, project.root, warehouse=None if elsewhere else lambda: warehouse_columns(project, target))
    fresh = run_check(ctx, config, baseline=set())
    still_open = {f.violation.key: entry(f.violation) for f in fresh.findings if f.status == "open"}
    entries = read_entries(config.baseline)
    followed = {**moved, **(published or {})}
    new_uid = new_unique_id(before, after, followed)
    kept = rekeyed(entries, followed, new_uid, still_open, unjudged=set(fresh.not_run))
    reads = {(new_uid(reader), new_uid(product)) for reader, product in carried or []}
    new_debt = [item for key, item in still_open.items() if key.split(":")[0] == LEGACY_RULE
                and tuple(key.split(":")[1:]) in reads]
    if touched(entries, followed) or new_debt:  # the file the caller put in the changeset, so a failure puts it back
        kept = sorted({item["key"]: item for item in [*kept, *new_debt]}.values(), key=lambda item: item["key"])
        write_entries(config.baseline, kept)
    keys = {item["key"] for item in kept}
    errors = [f for f in fresh.findings if f.blocking and f.violation.key not in keys]
    now_ids = {uid for uid in map(new_uid, moved) if uid}
    products = {uid for uid in map(new_uid, published or {}) if uid}
    affected = now_ids | products | {child for uid in now_ids | products for child in after.children(uid)}
    ours = [f for f in errors if {f.violation.node, f.violation.related} & affected]
    if ours:
        found = "; ".join(f"{f.violation.code} {f.violation.message}" for f in ours)
        raise MeshError(one_line(f"mesh check would fail after the handover, so nothing was changed: {found}", 2000))
    carried_keys = {item["key"] for item in new_debt}
    debt = [f"{item['rule']} {after.label(item['node'])}" for item in touched(kept, dict.fromkeys(now_ids, ""))
            if item["key"] not in carried_keys]
    return Verified(len(fresh.rules) - len(fresh.not_run), debt, len(touched(entries, moved)) - len(debt),
                    len(errors), [f"{LEGACY_RULE} {after.label(item['node'])}" for item in new_debt],
                    fresh.not_run, elsewhere)
