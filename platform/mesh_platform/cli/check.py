"""`mesh check`: the governance rules over the project's manifest, with a report per domain."""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("table", "json", "junit", "sarif", "github")


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "check", parents=[common], help="enforce ownership, access, product, layer, PII, legacy and test rules",
        description="Check the mesh against the platform's rules. Exit 1 on any error-level violation.",
    )
    parser.add_argument("--manifest", type=Path, help="read this manifest.json instead of parsing the project")
    parser.add_argument("--config", type=Path, help="rules config (default: mesh.yml at the project root)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument("--domain", help="report only this domain's findings")
    parser.add_argument("--show-all", action="store_true", help="also list waived and baselined findings")
    parser.add_argument("--write-baseline", action="store_true",
                        help="record today's violations so that only new ones fail from now on")
    parser.add_argument("--list-rules", action="store_true", help="list the rules with their codes and exit")
    parser.add_argument("--target", "-t", help="dbt target used to compile (default: duckdb)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..manifest import gc_paused

    # dbt, when it compiles the project first, runs with the garbage collector on; the check makes a million
    # objects and no cycles, so it runs without
    compiled = _compiled_context(args) if args.manifest is None and not args.list_rules else None
    with gc_paused():
        return _check(args, compiled)


def _check(args, compiled) -> int:
    from ..check.baseline import write_baseline
    from ..check.config import load_config
    from ..check.engine import check_context, run_check
    from ..check.registry import all_rules
    from ..console import say

    rules = all_rules()
    if args.list_rules:
        for rule in rules.values():
            say(f"{rule.code}  {rule.severity:<5}  {rule.category:<10} {rule.summary}")
        return 0
    ctx = compiled or _manifest_context(args)
    if args.write_baseline:
        config = load_config(ctx.project_root, set(rules), args.config)
        fresh = run_check(ctx, config, baseline=set())
        count = write_baseline(config.baseline, [f.violation for f in fresh.findings if f.status == "open"])
        say(f"Recorded {count} violation(s) in {config.baseline.name}; from now on only new ones fail.")
        return 0
    result, ctx = check_context(ctx, args.config, args.domain)
    _report(args, result, ctx)
    return result.exit_code


def _compiled_context(args):
    """The check's context of the project, parsed and compiled once (facts cached in target/mesh-check-cache/);
    at the root of a mesh of projects, of every project, each compiled in its own process."""
    from ..check.cache_file import CACHE_DIR
    from ..check.context import CheckContext
    from ..projects.runs import runs_projects
    from ..warehouse import warehouse_columns
    from .session import open_session

    if runs_projects(args):
        from ..projects.check import compiled_mesh

        project, projects, mesh = compiled_mesh(args)
        ctx = CheckContext(mesh, project.root, project.target_dir / CACHE_DIR,
                           warehouse=lambda: warehouse_columns(project, args.target))
        ctx.projects = projects
        return ctx
    session = open_session(args)
    project = session.project
    return CheckContext(session.compiled_manifest(), project.root, project.target_dir / CACHE_DIR,
                        warehouse=lambda: warehouse_columns(project, args.target))


def _manifest_context(args):
    """The check's context of the manifest given, its facts cached beside it in `mesh-check-cache/` (root None
    for a lone manifest outside a project)."""
    from ..check.manifest_cache import read_context
    from ..errors import MeshError
    from ..project import Project

    try:
        root = Project.locate(args.project_dir).root
    except MeshError:
        if args.project_dir is not None:
            raise
        root = None
    if root is None:
        return read_context(args.manifest, None)
    from ..warehouse import warehouse_columns

    return read_context(args.manifest, root, warehouse=lambda: warehouse_columns(Project(root), args.target))


def _report(args, result, ctx) -> None:
    from ..check import formats

    if args.format == "table" and args.output is None:
        formats.print_table(result, ctx.domains, args.show_all)
        return
    render = {"table": formats.to_json, "json": formats.to_json, "junit": formats.to_junit,
              "sarif": formats.to_sarif, "github": formats.to_github}[args.format]
    text = render(result)
    if args.output is None:
        sys.stdout.write(text + "\n")
        return
    from ..errors import MeshError
    from ..files import WriteError, write_text_atomically

    try:
        write_text_atomically(args.output, text + "\n")
    except WriteError as error:
        raise MeshError(f"cannot write the report to {args.output}: {error.reason}") from None
    print(f"Wrote {args.output} ({formats.summary_line(result)})")
