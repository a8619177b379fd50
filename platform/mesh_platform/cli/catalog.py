"""`mesh catalog`: the data-product catalog and the reports, as a static site (target/catalog/)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PORT = 8765


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "catalog", parents=[common], help="the data-product catalog and reports as a static site",
        description="Write the catalog of the mesh as a static site (default: target/catalog/, opens from disk): "
                    "domains with owners, every data product with its contract, versions, SLA, freshness, quality "
                    "history, lineage, masked sample rows and ODCS contract, the domain lineage graph, the "
                    "monolith's burn-down, and the reports (exposures with a chart).")
    parser.add_argument("--output", "-o", type=Path, metavar="DIR",
                        help="where to write the site (default: target/catalog in the project)")
    parser.add_argument("--manifest", type=Path, metavar="PATH",
                        help="read this manifest.json instead of parsing the project")
    parser.add_argument("--serve", action="store_true", help="then serve the site on localhost until Ctrl-C")
    parser.add_argument("--port", type=int,
                        help=f"port for --serve (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--target", "-t", help="dbt target whose warehouse to read (default: duckdb)")
    parser.set_defaults(run=run)


def run(args) -> int:
    import time

    from ..catalog.generate import generate_catalog
    from ..console import say
    from ..errors import MeshError
    from .session import open_session

    if args.port is not None and not args.serve:
        raise MeshError("--port goes with --serve")
    port = DEFAULT_PORT if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise MeshError(f"--port {port} is not a port number (0 to 65535)")
    started = time.perf_counter()
    session = open_session(args)
    project = session.project
    output = site_folder(args, project)
    server = None
    if args.serve:  # the port is taken before the work, so a busy one fails at once
        from ..catalog.serve import make_server

        server = make_server(output, port)
    try:
        generated = generate_catalog(mesh_of(args, session), project, args.target, output)
    except BaseException:
        if server is not None:
            server.server_close()
        raise
    catalog, site = generated.catalog, generated.site
    for name, report in generated.reports.items():
        if report.problem:
            say(f"Report {name} not drawn: {report.problem}")
    for note in [*catalog.notes, *catalog.observations.notes]:
        say(f"Note: {note}")
    drawn = sum(report.svg is not None for report in generated.reports.values())
    say(f"Wrote the catalog of {len(catalog.domains)} domains, {len(catalog.products)} data products and {drawn} "
        f"report(s): {site.pages} pages, {site.files} files, the largest {site.largest[0]} "
        f"({site.largest[1] / 1024:,.0f} KB), in {time.perf_counter() - started:.1f} s.")
    say(f"Open {project.relative(output / 'index.html')}" + ("" if args.serve else " (or `mesh catalog --serve`)"))
    if server is not None:
        from ..catalog.serve import serve
        from ..console import say_progress

        serve(server, lambda url: say_progress(f"Serving the catalog at {url} (Ctrl-C to stop)"))
    return 0


def mesh_of(args, session):
    """The mesh: of the manifest file given with --manifest, else of the project compiled once (the rules that
    read SQL, and the column lineage that keeps personal data out of the sample rows, need compiled SQL); at
    the root of a mesh of projects, of every project compiled (one site, lineage across projects)."""
    from ..manifest import Mesh, load_manifest
    from ..projects.runs import runs_projects

    if getattr(args, "manifest", None) is not None:
        return Mesh(load_manifest(args.manifest))
    if runs_projects(args):
        from ..projects.check import compiled_mesh

        return compiled_mesh(args)[2]
    return Mesh(session.compiled_manifest())


def site_folder(args, project) -> Path:
    from ..catalog import DEFAULT_OUTPUT

    return args.output.resolve() if args.output is not None else project.root / DEFAULT_OUTPUT
