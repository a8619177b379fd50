"""`mesh handover`: hand models over to the domain that should own them, and tell their consumers."""

from __future__ import annotations

ACCESS = ("public", "protected", "private")


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "handover", parents=[common], help="move models to the domain that should own them",
        description="Move the models' SQL and YAML entries into DOMAIN's folders (same layer), with their quality "
                    "suites and the sources only they read; rewrite refs when renamed; log the change in "
                    "ownership-log.csv and print an announcement for the consumers. YAML is edited in place: "
                    "untouched entries keep their bytes.")
    parser.add_argument("models", nargs="+", metavar="MODEL", help="the models to hand over (by name)")
    parser.add_argument("--to", required=True, metavar="DOMAIN", help="the domain taking them over")
    parser.add_argument("--rename", action="append", default=[], metavar="NEW|OLD=NEW",
                        help="a new name (one model), or OLD=NEW (repeatable); refs are rewritten")
    parser.add_argument("--access", choices=ACCESS, help="the access the handed-over models get")
    parser.add_argument("--reason", default="", help="why, for the ownership log and the announcement")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.set_defaults(run=run)


def run(args) -> int:
    import datetime as dt

    from ..console import say
    from ..errors import DbtFailure, MeshError
    from ..handover.plan import REASON_LIMIT, plan_handover
    from ..handover.yaml_text import parse
    from ..names import check_text
    from .session import open_session

    reason = check_text("--reason", args.reason, limit=REASON_LIMIT, one_line=True) if args.reason else ""
    renames = _renames(args.rename, args.models)
    session = open_session(args)
    root = session.project.root
    for path in sorted((root / "models").rglob("*.yml")):  # a broken file is named before dbt stumbles on it
        parse(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    plan = plan_handover(root, session.mesh(), args.models, args.to, renames, args.access,
                         reason or "handed over", dt.date.today())
    _print_plan(plan, say)
    if args.dry_run:
        say(f"Dry run: {len(plan.changes.paths())} files would change; nothing changed.")
        return 0
    plan.changes.apply()
    from ..dbt_session import DbtSession

    try:
        DbtSession(session.project, session.target).manifest()  # dbt must still accept the project
    except DbtFailure as error:
        plan.changes.revert()
        raise MeshError(f"dbt refused the project after the handover, so it was undone: {error}") from None
    say("")
    say(_announcement(plan, reason))
    say("")
    say("Next steps:")
    selection = " ".join(f"{move.new_name}+" for move in plan.moves)
    say(f"  mesh build --select {selection}   # build and test what moved and what reads it")
    say("  mesh check                        # the mesh still passes every rule")
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


def _print_plan(plan, say) -> None:
    to = plan.to
    say(f"Handover to {to.name} ({to.owner_name} <{to.owner_email}> {to.team_handle}):")
    for move in plan.moves:
        renamed = f" as {move.new_name}" if move.new_name != move.name else ""
        say(f"  {move.name} ({move.from_domain}){renamed}")
    for origin, destination in plan.moved_files:
        say(f"  move {origin} -> {destination}")
    for source in plan.sources_moved:
        say(f"  move source {source}")
    moved = {path for pair in plan.moved_files for path in pair}
    for path in plan.changes.paths():
        if path not in moved and path not in plan.changes.removed:
            say(f"  {'edit' if path in plan.changes.replaced else 'write'} {path}")
    for path in plan.renamed_refs_in:
        say(f"  refs renamed in {path}")
    for warning in plan.warnings:
        say(f"  warning: {warning}")


def _announcement(plan, reason: str) -> str:
    to = plan.to
    lines = ["Announcement for consumers:"]
    for move in plan.moves:
        renamed = f", now named {move.new_name}" if move.new_name != move.name else ""
        lines.append(f"  {move.name} moved from {move.from_domain} to {to.name}{renamed}; owner {to.owner_name} "
                     f"<{to.owner_email}> {to.team_handle}.")
    if reason:
        lines.append(f"  Reason: {reason}")
    if plan.consumers:
        consumers = ", ".join(f"{name} ({domain}, {owner})" for name, domain, owner in plan.consumers)
        lines.append(f"  Consumers: {consumers}")
    else:
        lines.append("  No other domain's model reads them.")
    lines.append("  Recorded in ownership-log.csv.")
    return "\n".join(lines)
