"""`mesh contract export`: data products' contracts as Open Data Contract Standard (ODCS v3) documents."""

from __future__ import annotations

from pathlib import Path

DEFAULT_FOLDER = "contracts"


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("contract", parents=[common], help="export data contracts (ODCS v3)",
                                   description="Data products' contracts as Open Data Contract Standard documents.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", parents=[common], help="a data product's contract as an ODCS v3 YAML document",
        description="Write the ODCS v3 contract of a data product (its latest version) from the dbt contract: "
                    "schema, keys, constraints, descriptions, owner, SLA, its quality suite (as Great Expectations "
                    "rules, and as SQL and library rules where they map) and the target's warehouse as its server, "
                    "so that `datacontract test` runs it. Parses the project once; no warehouse needed. "
                    "`mesh product new DOMAIN NAME --from-contract FILE` reads it back.")
    export.add_argument("product", nargs="?", help="the data product (omit with --all)")
    export.add_argument("--format", choices=["odcs"], default="odcs", help="the standard (default: odcs)")
    export.add_argument("--all", action="store_true", help="every data product, one file each, into --output DIR")
    export.add_argument("--target", "-t", help="dbt target whose warehouse the contracts name as their server "
                                               "(default: the profile's, duckdb)")
    export.add_argument("--output", "-o", type=Path, metavar="PATH",
                        help=f"the file to write (default: stdout); with --all the folder (default: {DEFAULT_FOLDER}/ "
                             f"in the project)")
    export.set_defaults(run=run_export)


def run_export(args) -> int:
    import sys

    from ..contracts.export import export_contracts, to_yaml
    from ..contracts.servers import profile_target
    from ..errors import MeshError
    from .session import open_session

    if args.all == bool(args.product):
        raise MeshError("name one data product, or pass --all for every one")
    if args.output is not None and args.output.is_dir() and not args.all:
        raise MeshError(f"--output {args.output} is a folder; give a file, or use --all to write one file per product")
    session = open_session(args)
    mesh, root = session.mesh(), session.project.root
    target = profile_target(session.project, args.target)
    names = [args.product] if not args.all else list(mesh.latest_products())
    documents = export_contracts(mesh, root, names, target)
    _say_gaps(target, documents)
    if not args.all:
        text = to_yaml(documents[args.product])
        if args.output is None:
            sys.stdout.write(text)
        else:
            _write_file(args.output, text)
            _say(f"Wrote the contract of {args.product} to {args.output}")
        return 0
    folder = args.output if args.output is not None else root / DEFAULT_FOLDER
    _write_folder(folder, {name: to_yaml(document) for name, document in documents.items()})
    _say(f"Wrote {len(documents)} contracts to {folder}, one PRODUCT.odcs.yaml per data product")
    return 0


def _say_gaps(target, documents: dict[str, dict]) -> None:
    """On stderr (stdout may carry the contract): what datacontract-cli and the like cannot run."""
    import sys

    from ..contracts.export import tool_skipped_rules

    if target.fields is None:
        print(f"Note: no servers entry: target '{target.name}': {target.unreachable}", file=sys.stderr)
    for name, document in documents.items():
        skipped = tool_skipped_rules(document)
        if skipped:
            print(f"Note: {name}: {len(skipped)} quality rule(s) only Great Expectations runs (no SQL or library "
                  f"form; datacontract-cli skips them): {', '.join(skipped)}", file=sys.stderr)


def _write_file(path: Path, text: str) -> None:
    """Written beside its place, then moved in: a reader never sees half a contract."""
    from ..errors import MeshError
    from ..files import WriteError, write_atomically

    try:
        write_atomically(path, text, make_folder=False)
    except WriteError as error:
        raise MeshError(f"cannot write the contract to {path}: {error.reason}") from None


def _write_folder(folder: Path, documents: dict[str, str]) -> None:
    """Every contract or none (the scaffolding's changeset): existing files of the same names are replaced."""
    from ..changeset import Changeset
    from ..errors import MeshError

    if folder.exists() and not folder.is_dir():
        raise MeshError(f"--output {folder} is a file; --all writes one file per product into a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        changes = Changeset(folder)
        for name, text in documents.items():
            changes.replace(f"{name}.odcs.yaml", text)
        changes.apply()
    except OSError as error:
        raise MeshError(f"cannot write the contracts to {folder}: {error.strerror or error}; choose another "
                        f"--output") from None


def _say(text: str) -> None:
    from ..console import say

    say(text)
