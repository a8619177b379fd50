"""`mesh products` (also `mesh product list`) and `mesh product show NAME`: find a data product and how to use it."""

from __future__ import annotations

import json

FORMATS = ("table", "json")


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("products", parents=[common], help="list the data products: owner, SLA, quality, "
                                   "consumers, the ref() to use", description=LIST_DESCRIPTION)
    _list_options(parser)


def add_actions(actions, common) -> None:
    """`mesh product list` and `mesh product show`, beside `mesh product new`."""
    _list_options(actions.add_parser("list", parents=[common], help="list the data products",
                                     description=LIST_DESCRIPTION))
    show = actions.add_parser("show", parents=[common], help="one data product: contract, owner, SLA, consumers",
                              description="Everything a consumer needs to know about one data product.")
    show.add_argument("name", help="the product's name")
    show.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    show.add_argument("--target", "-t", help="dbt target whose warehouse to read (default: duckdb)")
    show.set_defaults(run=run_show)


LIST_DESCRIPTION = ("Every data product with its domain, owner and contact, version, SLA status (from the platform's "
                    "record of the last night or build), last quality result, consumers and the ref() to use it. "
                    "Parses the project; reads the warehouse read-only when it is built.")


def _list_options(parser) -> None:
    parser.add_argument("--domain", help="only this domain's products")
    parser.add_argument("--tag", help="only products with this dbt tag")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--target", "-t", help="dbt target whose warehouse to read (default: duckdb)")
    parser.set_defaults(run=run_list)


def _entries(args, **narrowing):
    from ..catalog.generate import warehouse_of
    from ..catalog.listing import product_entries
    from ..projects.runs import whole_mesh
    from .session import open_session

    session = open_session(args)
    database, note = warehouse_of(session.project, args.target)
    entries, notes = product_entries(whole_mesh(session), session.project, database, **narrowing)
    return entries, notes + ([note] if note else [])


def run_list(args) -> int:
    from ..console import print_table, say

    entries, notes = _entries(args, domain=args.domain, tag=args.tag)
    if args.format == "json":
        say(json.dumps([entry.__dict__ for entry in entries], indent=2, default=str))
        return 0
    print_table("Data products", ["Product", "Domain", "Owner", "SLA", "Quality", "Consumers", "Use"],
                [[e.name, e.domain, e.owner, e.sla_status, e.quality, len(e.consumers), "{{ " + e.ref + " }}"]
                 for e in entries])
    if entries:
        say("Details, contact and columns: mesh product show NAME")
    for note in notes + _quality_note(entries):
        say(f"Note: {note}")
    if not entries:
        say("No data product matches." if args.domain or args.tag else "No data product yet: `mesh product new`.")
    return 0


def run_show(args) -> int:
    import difflib

    from ..console import print_table, say
    from ..errors import MeshError

    entries, notes = _entries(args)
    by_name = {entry.name: entry for entry in entries}
    if args.name not in by_name:
        close = difflib.get_close_matches(args.name, list(by_name), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; the products are: {', '.join(by_name) or 'none'}"
        raise MeshError(f"unknown data product '{args.name}'{hint}")
    entry = by_name[args.name]
    if args.format == "json":
        say(json.dumps(entry.__dict__, indent=2, default=str))
        return 0
    versions = ", ".join(f"v{v}" for v in entry.versions if v) or "unversioned"
    print_table(f"Data product {entry.name}", ["", ""], [
        ["Use", "{{ " + entry.ref + " }}"], ["Description", entry.description], ["Domain", entry.domain],
        ["Owner", f"{entry.owner} <{entry.contact}> {entry.team_handle}".strip()], ["Versions", versions],
        ["SLA", ", ".join(f"{k}: {v}" for k, v in entry.sla.items()) or "none declared"],
        ["SLA status", f"{entry.sla_status}: {entry.sla_detail}"],
        ["Quality", f"{entry.quality} ({entry.quality_checked_at})" if entry.quality_checked_at else entry.quality],
        ["Consumers", ", ".join(entry.consumers) or "none yet"], ["Tags", ", ".join(entry.tags) or "-"],
        ["Defined in", entry.path]])
    print_table("Columns", ["Column", "Type", "Description", "Personal data"],
                [[c["name"], c["data_type"], c["description"],
                  "masked" if c["masked"] else "yes" if c["personal_data"] else ""] for c in entry.columns])
    for note in notes + _quality_note([entry]):
        say(f"Note: {note}")
    return 0


def _quality_note(entries) -> list[str]:
    from ..catalog.listing import NO_QUALITY_RUN

    if any(entry.quality == NO_QUALITY_RUN for entry in entries):
        return ["quality 'not run': the warehouse's history holds no run of the product's suite (`mesh quality`)"]
    return []
