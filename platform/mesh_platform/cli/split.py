"""`mesh split DOMAIN`: a domain graduates to a dbt project of its own, read by the others through
cross-project refs."""

from __future__ import annotations

from .session import open_session


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "split", parents=[common], help="move a domain into its own dbt project (cross-project refs, dbt-loom)",
        description="Move models/DOMAIN/ (with its seeds, singular tests and the macros only it uses) into a dbt "
                    "project of its own, turn the other domains' refs to its products into cross-project refs, "
                    "and list the project in mesh.yml. Refused, with nothing written, when other domains read "
                    "its models that are not products.")
    parser.add_argument("domain", metavar="DOMAIN", help="the domain to graduate")
    parser.add_argument("--to", metavar="PATH", help="the new project's folder (default: projects/DOMAIN)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..console import say
    from ..errors import MeshError
    from ..projects.config import mesh_projects
    from ..projects.split import plan_split, project_macros
    from ..projects.subprocess_run import run_mesh

    session = open_session(args)
    project = session.project
    dbt_manifest = session.manifest()
    root_name = str(dbt_manifest.metadata.project_name)
    plan = plan_split(project.root, root_name, session.mesh(), project_macros(dbt_manifest, root_name),
                      args.domain, args.to)
    say(f"Split {plan.domain} into {plan.folder}/: {len(plan.moved)} file(s) moved"
        + (f", {len(plan.macros_moved)} macro file(s) only it uses" if plan.macros_moved else "") + ".")
    for path, count in sorted(plan.rewritten.items()):
        say(f"  {path}: {count} ref(s) made cross-project")
    for reader, sources in plan.sources_left.items():
        say(f"  {reader} still reads {plan.domain}'s raw tables ({', '.join(sources)}): declared in "
            f"models/{reader}/_{plan.domain}__sources.yml, on {plan.domain}'s warehouse attached read-only")
    if args.dry_run:
        moving = {*plan.moved, *(f"{plan.folder}/{moved}" for moved in plan.moved)}  # counted above
        for path in plan.changes.paths():
            if path not in moving:
                say(f"  would be {plan.changes.verb(path)}: {path}")
        say("Dry run: nothing was written.")
        return 0

    def parse_both() -> None:
        """The new project parses on the root's manifest, then the root on the new project's."""
        members = mesh_projects(project.root, root_name)
        new = next(member for member in members if member.name == plan.domain)
        for member in (new, members[0]):
            result = run_mesh(member, "domains", "--format", "json")
            if not result.ok:
                raise MeshError(f"the split was undone: dbt could not parse {member.name} after it: {result.error}")

    plan.changes.apply(then=parse_both)
    say(f"{plan.domain} is a dbt project of its own in {plan.folder}/, listed in mesh.yml; both projects parse.")
    say("Next: mesh build (every project, in dependency order)   |   mesh check   |   "
        f"mesh build --project-dir {plan.folder}")
    return 0
