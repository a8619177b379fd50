"""`mesh lint`: the house SQL style (sqlfluff) over the project, a domain, or what changed."""

from __future__ import annotations

import json


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "lint", parents=[common], help="lint the project's SQL with sqlfluff (house style in .sqlfluff)",
        description="Lint SQL with sqlfluff's Jinja templater (no dbt compile, whatever templater .sqlfluff names), "
                    "with the project's and installed packages' macros, files in parallel. "
                    "Exit 1 when a violation remains.")
    parser.add_argument("--changed", action="store_true", help="only files changed against --base (and untracked)")
    parser.add_argument("--base", default="HEAD", help="git ref for --changed (default: HEAD, i.e. uncommitted)")
    parser.add_argument("--domain", help="only this domain's SQL")
    parser.add_argument("--fix", action="store_true", help="fix what sqlfluff can, then report what remains")
    parser.add_argument("--processes", type=int, help="parallel processes (default: one per core)")
    parser.add_argument("--format", choices=["table", "json", "github"], default="table", help="output format")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..console import print_table, say
    from ..domain_files import declared_domains
    from ..errors import MeshError
    from ..git import changed_files
    from ..lint.runner import lint, sql_files
    from ..manifest import PROJECT_WIDE, domain_from_path
    from ..project import Project

    root = Project.locate(args.project_dir).root
    domains = declared_domains(root)
    if args.domain and args.domain not in domains:
        raise MeshError(f"unknown domain '{args.domain}'; the domains are: {', '.join(domains) or 'none'}")
    paths = sql_files(root, args.domain)
    if args.changed:
        changed = changed_files(root, args.base)
        paths = [path for path in paths if path in changed]
    violations = lint(root, paths, fix=args.fix, processes=args.processes)
    if args.format == "json":
        say(json.dumps({"files": len(paths), "violations": [v.__dict__ for v in violations]}, indent=2))
    elif args.format == "github":
        for v in violations:
            say(f"::error file={v.path},line={v.line},col={v.column},title={v.code}::{v.description}")
    else:
        counts: dict[str, list[int]] = {}
        for path in paths:
            counts.setdefault(domain_from_path(path, domains) or PROJECT_WIDE, [0, 0])[0] += 1
        for v in violations:
            counts[v.domain or PROJECT_WIDE][1] += 1
        if paths:
            print_table("Lint by domain", ["Domain", "Files", "Violations"],
                        [[domain, files, found] for domain, (files, found) in sorted(counts.items())], numeric_from=1)
        for v in violations:
            say(v.line_text())
        verb = "fixed what could be fixed; " if args.fix else ""
        say(f"Linted {len(paths)} file(s): {verb}{len(violations)} violation(s)." if paths
            else "No SQL files to lint.")
    return 1 if violations else 0
