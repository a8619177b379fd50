"""`mesh product new`: scaffold a public data product, its contract taken from the warehouse or an ODCS file."""

from __future__ import annotations

from pathlib import Path


def register(subparsers, common) -> None:
    from .products import add_actions

    parser = subparsers.add_parser("product", parents=[common], help="create, list and show data products",
                                   description="Create, list and show the domains' data products.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_actions(actions, common)
    new = actions.add_parser(
        "new", parents=[common], help="create a public data product over a model of the domain",
        description="Create DOMAIN/marts/NAME.sql and NAME.yml: public, version 1, contract enforced with every "
                    "column typed as the warehouse describes it, a tested primary key and a default SLA. "
                    "PII columns of the model are masked. With --from-contract FILE (contract first), the columns, "
                    "types, key, constraints, version, SLA and quality rules are the ODCS contract's, over a typed "
                    "skeleton the team fills in. Parses the project once.")
    new.add_argument("domain", help="the domain that owns the product")
    new.add_argument("name", help="the product's name: lowercase letters, digits and _")
    new.add_argument("--from", dest="from_model", metavar="MODEL",
                     help="the domain's model the product selects from (built, or its parents built)")
    new.add_argument("--from-contract", type=Path, metavar="FILE",
                     help="an agreed ODCS v3 contract (YAML) the product is scaffolded from, instead of --from")
    new.add_argument("--key", metavar="COLUMN", help="the primary-key column (with --from)")
    new.add_argument("--description", help="what one row is and what the product is for (with --from)")
    new.add_argument("--target", "-t", help="dbt target used to describe the model (default: duckdb)")
    new.add_argument("--allow-query-rules", action="store_true",
                     help="with --from-contract: accept quality rules that carry SQL of their own (they may read "
                          "only the product); for the product's owner to decide")
    new.add_argument("--dry-run", action="store_true", help="print the files that would be written, change nothing")
    new.set_defaults(run=run_new)


def run_new(args) -> int:
    from ..errors import MeshError
    from ..scaffold.product import plan_product, validate_product
    from .changes import apply_or_show
    from .session import open_session

    if args.from_contract is not None:
        if args.from_model or args.key or args.description:
            raise MeshError("--from-contract takes the columns, key and description from the contract; "
                            "drop --from, --key and --description")
        return run_new_from_contract(args)
    if not (args.from_model and args.key and args.description):
        raise MeshError("give --from MODEL, --key COLUMN and --description TEXT, or --from-contract FILE")
    from ..names import check_text

    check_text("description", args.description)  # refused before dbt parses
    session = open_session(args)
    product = validate_product(session, args.domain, args.name, args.from_model, args.key, args.description)
    return apply_or_show(plan_product(session, product), args.dry_run,
                         f"Created data product {product.name} v1 in {product.domain} ({len(product.columns)} "
                         f"columns, key {product.key}):",
                         [(f"mesh build --domain {product.domain}", "builds and tests the product"),
                          ("mesh check", "the product passes every rule"),
                          (f"mesh quality --product {product.name}", f"runs {product.name}.quality.yml")])


def run_new_from_contract(args) -> int:
    from ..contracts.importer import check_expectations, read_contract
    from ..scaffold.from_contract import plan_from_contract
    from ..scaffold.product import check_new_product
    from .changes import apply_or_show
    from .session import open_session

    contract = read_contract(args.from_contract, str(args.from_contract))
    session = open_session(args)
    mesh = session.mesh()
    check_new_product(mesh, args.domain, args.name)
    check_expectations(contract, allow_queries=args.allow_query_rules)
    domain = mesh.domains[args.domain]
    steps = [(f"edit models/{domain.name}/marts/{args.name}.sql", "replace the placeholder with the product's query"),
             (f"mesh build --select {args.name}", "builds and tests the product"),
             ("mesh check", "the product passes every rule"),
             (f"mesh contract export {args.name}", f"gives the contract back ({args.from_contract})")]
    if contract.domain and contract.domain != domain.name:
        steps.append((f"Note: the contract names domain {contract.domain}; the product belongs to {domain.name}.", ""))
    if contract.name and contract.name != args.name:
        steps.append((f"Note: the contract names the product {contract.name}; it is created as {args.name}.", ""))
    if contract.kept_out:
        steps.append((f"Kept only in the contract (the product does not carry them): "
                      f"{', '.join(contract.kept_out)}", ""))
    return apply_or_show(plan_from_contract(session.project.root, domain, args.name, contract), args.dry_run,
                         f"Created data product {args.name} v{contract.version} in {domain.name} from contract "
                         f"{args.from_contract} ({len(contract.columns)} columns, key {contract.key}):", steps)
