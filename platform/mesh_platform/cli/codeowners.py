"""`mesh codeowners`: write .github/CODEOWNERS from the domains' groups."""

from __future__ import annotations


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "codeowners", parents=[common], help="generate .github/CODEOWNERS from the domains' owners",
        description="Write .github/CODEOWNERS so each domain's folders are reviewed by its team.",
    )
    parser.add_argument("--check", action="store_true", help="only say whether the file is current (exit 1 if not)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..codeowners import CODEOWNERS_PATH, render_codeowners, write_codeowners
    from ..console import say
    from ..projects.config import graduated_folders
    from ..projects.runs import mesh_of, runs_projects, the_projects
    from .session import open_session

    session = open_session(args)
    domains = session.mesh().domains.values()
    folders = graduated_folders(session.project.root)
    if runs_projects(args):  # the graduated domains' owners, from their projects' manifests
        domains = {**mesh_of(the_projects(args)[1]).domains, **session.mesh().domains}.values()
    path = session.project.root / CODEOWNERS_PATH
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == render_codeowners(domains, folders):
        say(f"{CODEOWNERS_PATH} is current ({len(domains)} domains).")
        return 0
    if args.check:
        say(f"{CODEOWNERS_PATH} is out of date; run `mesh codeowners`.")
        return 1
    write_codeowners(session.project.root, domains, folders)
    say(f"Wrote {CODEOWNERS_PATH} for {len(domains)} domains.")
    return 0
