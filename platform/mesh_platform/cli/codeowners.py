"""`mesh codeowners`: write .github/CODEOWNERS from the domains' groups."""

from __future__ import annotations


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "codeowners", parents=[common], help="generate .github/CODEOWNERS from the domains' owners",
        description="Write the generated block of .github/CODEOWNERS (at the git repository's root) so each "
                    "domain's folders are reviewed by its team; the owners' own lines outside it are kept.",
    )
    parser.add_argument("--check", action="store_true", help="only say whether the file is current (exit 1 if not)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..codeowners import locate, render_codeowners, write_codeowners
    from ..console import say
    from ..projects.config import graduated_folders
    from ..projects.runs import mesh_of, runs_projects, the_projects
    from .session import open_session

    session = open_session(args)
    domains = session.mesh().domains.values()
    folders = graduated_folders(session.project.root)
    if runs_projects(args):  # the graduated domains' owners, from their projects' manifests
        domains = {**mesh_of(the_projects(args)[1]).domains, **session.mesh().domains}.values()
    where = locate(session.project.root)
    shown = session.project.relative(where.path)
    current = where.read()
    if current == render_codeowners(domains, session.project.root, current, project_folders=folders):
        say(f"{shown} is current ({len(domains)} domains).")
        return 0
    if args.check:
        say(f"{shown} is out of date; run `mesh codeowners`.")
        return 1
    write_codeowners(session.project.root, domains, folders)
    say(f"Wrote the domains' block of {shown} ({len(domains)} domains; the lines outside it are kept).")
    return 0
