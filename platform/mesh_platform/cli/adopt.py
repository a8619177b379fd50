"""`mesh adopt`: turn a plain dbt project into a mesh, all its models in one domain (`legacy` unless named)."""

from __future__ import annotations

from pathlib import Path

from ..adopt import DEFAULT_EMAIL, DEFAULT_OWNER, DEFAULT_TEAM_HANDLE
from ..manifest import LEGACY


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "adopt", parents=[common], help="turn a plain dbt project into a mesh (every model in domain legacy)",
        description="Move every file under models/ into models/legacy/ (or --domain NAME), nest the model folders' "
                    "config in dbt_project.yml under it (+group), give the seeds and snapshots the same group, "
                    "write the group, mesh.yml, the domain's block of CODEOWNERS and the ownership log, then parse "
                    "once (no warehouse needed) and record today's violations in the baseline, so that `mesh check` "
                    "passes and only new violations fail. Rolled back if dbt cannot parse it.")
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="the dbt project's root (default: found from --project-dir or the working folder)")
    parser.add_argument("--domain", default=LEGACY, metavar="NAME",
                        help=f"the domain every model joins (default: {LEGACY}), e.g. when models/{LEGACY}/ exists")
    parser.add_argument("--owner", default=DEFAULT_OWNER, metavar="TEXT",
                        help=f'the domain\'s owning team (default: "{DEFAULT_OWNER}")')
    parser.add_argument("--email", default=DEFAULT_EMAIL, metavar="EMAIL",
                        help=f"the team's e-mail (default: {DEFAULT_EMAIL})")
    parser.add_argument("--team-handle", default=DEFAULT_TEAM_HANDLE, metavar="HANDLE",
                        help=f"the team's handle, @org/team or @team (default: {DEFAULT_TEAM_HANDLE})")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..adopt.plan import plan_adoption, validate_domain, validate_owner
    from ..console import say
    from ..project import Project

    owner = validate_owner(args.owner, args.email, args.team_handle)
    domain = validate_domain(args.domain)
    root = args.path.resolve() if args.path is not None else Project.locate(args.project_dir).root
    plan = plan_adoption(root, owner, domain_name=domain)
    if args.dry_run:
        _show_plan(plan, say)
        say(f"Dry run: {len(plan.moves)} files would move and {len(plan.written)} be written, then dbt would parse "
            f"the project once to record its violations in the baseline; nothing changed.")
        return 0
    from ..adopt.apply import adopt

    adopted = adopt(plan)
    say(f"Adopted {plan.project}: its {len(plan.models)} models are now domain {domain}, owned by {owner.name} "
        f"<{owner.email}> {owner.team_handle}.")
    say(f"  moved   {len(plan.moves)} files from models/ into models/{domain}/ (same folders)")
    if plan.grouped:
        from ..adopt.plan import GROUPED_NAMES

        names = [GROUPED_NAMES.get(section, section) for section in plan.grouped]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        say(f"  gave    the {listed} to {domain} (+group in dbt_project.yml; their files stay)")
    for path in plan.written:
        say(f"  {plan.changes.verb(path):<7} {path}")
    rules = ", ".join(f"{code}: {count}" for code, count in sorted(adopted.recorded.items()))
    say(f"  wrote   {adopted.baseline.name}: {adopted.total} open violations recorded ({rules}), only new ones fail"
        if adopted.total else f"  wrote   {adopted.baseline.name}: no open violations, every one from now on fails")
    if adopted.not_run:
        say(f"  not run {', '.join(adopted.not_run)}: they judge compiled SQL and adopt only parses (no warehouse "
            f"needed); `mesh check` compiles and runs them")
    if adopted.packages:
        listed = ", ".join(f"{package} ({count})" for package, count in sorted(adopted.packages.items()))
        say(f"  left    package nodes of installed packages, not the project's own: {listed}")
    _next_steps(say)
    return 0


def _show_plan(plan, say) -> None:
    say(f"Adopting {plan.project} ({plan.root}): {len(plan.models)} models into domain {plan.domain}, owned by "
        f"{plan.owner.name} <{plan.owner.email}> {plan.owner.team_handle}.")
    for origin, target in plan.moves:
        say(f"--- move {origin} -> {target}")
    for path in plan.written:
        if path in plan.diffs:
            say(f"--- update {path}\n{plan.diffs[path].rstrip()}")
        else:
            content = plan.changes.created[path]
            say(f"--- create {path}\n{content.rstrip()}")
    say("--- then: parse once with dbt and record the open violations in the baseline")


def _next_steps(say) -> None:
    """(command, why): the whys of the short commands are aligned; a long one goes on a line of its own."""
    steps = [("mesh check", "passes now: today's violations are baselined, new ones fail"),
             ("mesh domain new NAME --owner TEAM --email ADDRESS --team-handle @org/team", ""),
             ("mesh handover MODEL... --to DOMAIN", "move models out of legacy into a domain, a piece at a time")]
    width = max(len(step) for step, why in steps if why)
    say("Next steps:")
    for step, why in steps:
        say(f"  {step.ljust(width)}   # {why}" if why else f"  {step}")
