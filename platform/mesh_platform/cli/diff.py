"""`mesh diff`: the data products' contract changes since a base, breaking ones with the consumers they hit."""

from __future__ import annotations

FORMATS = ("text", "json", "markdown")


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "diff", parents=[common], help="contract changes of the data products since a base, and whom they hit",
        description="Compare every public data product with a base: a manifest.json, or a git ref (parsed from a "
                    "temporary worktree; no warehouse needed). Breaking changes name every consumer hit, by "
                    "domain and owner. Exit 1 on a breaking change that is not made as a new version.")
    parser.add_argument("--base", required=True, metavar="MANIFEST|GIT_REF",
                        help="the production manifest.json, or a git ref such as origin/main")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def run(args) -> int:
    import datetime as dt

    from ..console import say
    from ..contract_diff.base import load_base
    from ..contract_diff.compare import compare
    from ..contract_diff.report import to_json, to_markdown, to_text
    from ..projects.runs import runs_projects
    from .session import open_session

    if runs_projects(args):
        from ..projects.diff import diff_meshes

        base, current, described = diff_meshes(args)
    else:
        session = open_session(args)
        current = session.mesh()
        base, described = load_base(session.project, args.base, current.project_name)
    changes = compare(base, current, dt.date.today())
    render = {"text": to_text, "json": to_json, "markdown": to_markdown}[args.format]
    say(render(changes, described))
    return 1 if any(change.breaking for change in changes) else 0
