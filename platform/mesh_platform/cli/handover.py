"""`mesh handover`: hand models over to the domain that should own them, and tell their consumers."""

from __future__ import annotations

ACCESS = ("public", "protected", "private")
SHARED_CHOICES = ("move", "publish")
EMPTY_BASELINE = '{"generated_by": "mesh check --write-baseline", "violations": []}\n'


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "handover", parents=[common], help="move models to the domain that should own them",
        description="Move the models' SQL and YAML entries into DOMAIN's folders (same layer), with their quality "
                    "suites and the sources only they read; rewrite refs when renamed; log the change in "
                    "ownership-log.csv and print an announcement for the consumers. YAML is edited in place: "
                    "untouched entries keep their bytes. Tests move with the models they test, the baseline's entries "
                    "with the nodes they name. Refused, with every blocker, when a dependency would break (access "
                    "computed from the destination folder, new dependencies on legacy); the result is compiled and "
                    "checked before it is kept.")
    parser.add_argument("models", nargs="+", metavar="MODEL", help="the models to hand over (by name)")
    parser.add_argument("--to", required=True, metavar="DOMAIN", help="the domain taking them over")
    parser.add_argument("--rename", action="append", default=[], metavar="NEW|OLD=NEW",
                        help="a new name (one model), or OLD=NEW (repeatable); refs are rewritten")
    parser.add_argument("--access", choices=ACCESS,
                        help="the access the models asked for get (default: what the destination folder gives them)")
    parser.add_argument("--with-upstream", action="store_true",
                        help="take along the upstream models (of the same domain) that only the moving models use")
    parser.add_argument("--shared", choices=SHARED_CHOICES,
                        help="upstream models that models staying behind use too: 'move' hands them over as well "
                             "and makes them public; 'publish' keeps them where they are and makes them data products "
                             "(public, contract typed from the warehouse, key, v1, SLA), read under an approved "
                             "agreement")
    parser.add_argument("--reason", default="", help="why, for the ownership log and the announcement")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.set_defaults(run=run)


def run(args) -> int:
    import datetime as dt

    from ..check.baseline import read_entries
    from ..check.config import load_config
    from ..check.registry import all_rules
    from ..console import say
    from ..errors import DbtFailure, MeshError
    from ..handover.baseline import touched
    from ..handover.plan import REASON_LIMIT, plan_handover
    from ..handover.verify import verify
    from ..handover.yaml_text import parse
    from ..names import check_text
    from ..warehouse import warehouse_columns
    from .session import open_session

    reason = check_text("--reason", args.reason, limit=REASON_LIMIT, one_line=True) if args.reason else ""
    renames = _renames(args.rename, args.models)
    session = open_session(args)
    root = session.project.root
    for path in sorted((root / "models").rglob("*.yml")):  # a broken file is named before dbt stumbles on it
        parse(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    mesh = session.mesh()
    built = warehouse_columns(session.project, session.target) if args.shared == "publish" else None
    plan = plan_handover(root, mesh, args.models, args.to, renames, args.access, reason or "handed over",
                         dt.date.today(), with_upstream=args.with_upstream, shared=args.shared, warehouse=built)
    baseline = load_config(root, set(all_rules())).baseline
    debt = touched(read_entries(baseline), plan.moved_nodes)
    _print_plan(plan, say, [f"{item['rule']} {mesh.label(item['node'])}" for item in debt])
    if args.dry_run:
        say(f"Dry run: {len(plan.changes.paths())} files would change; nothing changed. The result is compiled "
            f"and checked when the handover runs, and undone if the check fails on what moved.")
        return 0
    if debt or plan.carried:
        original = baseline.read_text(encoding="utf-8") if baseline.is_file() else None
        if original is None:
            plan.changes.create(session.project.relative(baseline), EMPTY_BASELINE)
        else:
            plan.changes.replace(session.project.relative(baseline), original)
    try:
        verified = plan.changes.apply(then=lambda: verify(session.project, session.target, mesh, plan.moved_nodes,
                                                          plan.published_nodes, plan.carried))
    except DbtFailure as error:
        raise MeshError(f"dbt refused the project after the handover, so nothing was changed: {error}") from None
    assert verified is not None
    say("")
    say(_announcement(plan, reason))
    say("")
    how = f"dbt parses the result (written for {verified.written_for}, its SQL does not compile here)" \
        if verified.written_for else "dbt compiles the result"
    say(f"Checked: {how} and `mesh check` ({verified.rules} rules) finds nothing new on what "
        f"moved or reads it" + (f"; {verified.untouched_errors} error(s) on what it did not touch remain"
                                if verified.untouched_errors else "") + ".")
    if verified.carried:
        say(f"Baseline: {len(verified.carried)} reads of legacy products recorded as {args.to}'s debt "
            f"({', '.join(verified.carried)}).")
    if verified.not_run:
        say(f"Not run: {', '.join(verified.not_run)} (they judge compiled SQL); their baseline entries stay as they "
            f"were; `mesh check` where the project's SQL compiles runs them.")
    if verified.debt or verified.dropped:
        say(f"Baseline: {len(verified.debt)} entries now {args.to}'s debt" +
            (f" ({', '.join(verified.debt)})" if verified.debt else "") +
            (f"; {verified.dropped} the check no longer finds dropped" if verified.dropped else "") + ".")
    say("Next steps:")
    selection = " ".join(f"{move.new_name}+" for move in plan.moves)
    say(f"  mesh build --select {selection}   # build and test what moved and what reads it")
    return 0


def _renames(values: list[str], models: list[str]) -> dict[str, str]:
    from ..errors import MeshError
    from ..names import check_name

    renames = {}
    for value in values:
        if "=" in value:
            old, new = value.split("=", 1)
        elif len(models) == 1:
            old, new = models[0], value
        else:
            raise MeshError(f"--rename {value}: with several models, say which one: --rename OLD=NEW")
        renames[old.strip()] = check_name("model", new.strip())  # refused before dbt parses
    return renames


def _print_plan(plan, say, debt: list[str]) -> None:
    to = plan.to
    say(f"Handover to {to.name} ({to.owner_name} <{to.owner_email}> {to.team_handle}):")
    why = {"upstream": ", upstream only what moves uses", "shared": ", shared with what stays, made public"}
    for move in plan.moves:
        renamed = f" as {move.new_name}" if move.new_name != move.name else ""
        say(f"  {move.name} ({move.from_domain}){renamed}: {plan.access[move.new_name]} in {to.name}"
            f"{why.get(move.why, '')}")
    for product in plan.published:
        say(f"  {product.name} ({product.domain}): stays in {product.domain}, published as a data product: public, "
            f"contract enforced ({len(product.columns)} columns typed as built), primary key {product.key}, "
            f"v1 (relation {product.relation}), SLA; read by {', '.join(plan.product_readers[product.name])}")
    for origin, destination in plan.moved_files:
        say(f"  move {origin} -> {destination}")
    for source in plan.sources_moved:
        say(f"  {source}")
    moved = {path for pair in plan.moved_files for path in pair}
    for path in plan.changes.paths():
        if path not in moved and path not in plan.changes.removed:
            say(f"  {'edit' if path in plan.changes.replaced else 'write'} {path}")
    for path in plan.renamed_refs_in:
        say(f"  refs renamed in {path}")
    if plan.carried:
        reads = ", ".join(f"{plan.moved_nodes[reader]} on {mesh_name}" for reader, mesh_name in
                          ((reader, plan.published_nodes[product]) for reader, product in plan.carried))
        say(f"  baseline: {len(plan.carried)} reads of legacy products become {to.name}'s debt (LEG001), as they "
            f"were reads inside legacy before: {reads}")
    if debt:
        say(f"  baseline: {len(debt)} entries follow them as {to.name}'s debt while the check still finds them: "
            f"{', '.join(debt)}")
    for warning in plan.warnings:
        say(f"  warning: {warning}")


def _announcement(plan, reason: str) -> str:
    to = plan.to
    lines = ["Announcement for consumers:"]
    for move in plan.moves:
        renamed = f", now named {move.new_name}" if move.new_name != move.name else ""
        lines.append(f"  {move.name} moved from {move.from_domain} to {to.name}{renamed}; owner {to.owner_name} "
                     f"<{to.owner_email}> {to.team_handle}.")
    for product in plan.published:
        lines.append(f"  {product.name} stays in {product.domain}, now a data product (public, contract enforced, "
                     f"v1 in {product.relation}); read by {', '.join(plan.product_readers[product.name])}.")
    if reason:
        lines.append(f"  Reason: {reason}")
    if plan.consumers:
        consumers = ", ".join(f"{name} ({domain}, {owner})" for name, domain, owner in plan.consumers)
        lines.append(f"  Consumers: {consumers}")
    else:
        lines.append("  No other domain's model reads them.")
    lines.append("  Recorded in ownership-log.csv.")
    return "\n".join(lines)
