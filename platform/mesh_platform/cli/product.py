"""`mesh product new`: scaffold a public data product with its contract taken from the warehouse."""

from __future__ import annotations


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("product", parents=[common], help="create data products",
                                   description="Create a domain's data products.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new", parents=[common], help="create a public data product over a model of the domain",
        description="Create DOMAIN/marts/NAME.sql and NAME.yml: public, version 1, contract enforced with every "
                    "column typed as the warehouse describes it, a tested primary key and a default SLA. "
                    "PII columns of the model are masked. Parses the project once.")
    new.add_argument("domain", help="the domain that owns the product")
    new.add_argument("name", help="the product's name: lowercase letters, digits and _")
    new.add_argument("--from", dest="from_model", required=True, metavar="MODEL",
                     help="the domain's model the product selects from (built, or its parents built)")
    new.add_argument("--key", required=True, metavar="COLUMN", help="the primary-key column")
    new.add_argument("--description", required=True, help="what one row is and what the product is for")
    new.add_argument("--target", "-t", help="dbt target used to describe the model (default: duckdb)")
    new.add_argument("--dry-run", action="store_true", help="print the files that would be written, change nothing")
    new.set_defaults(run=run_new)


def run_new(args) -> int:
    from ..scaffold.product import plan_product, validate_product
    from .changes import apply_or_show
    from .session import open_session

    session = open_session(args)
    product = validate_product(session, args.domain, args.name, args.from_model, args.key, args.description)
    return apply_or_show(plan_product(session, product), args.dry_run,
                         f"Created data product {product.name} v1 in {product.domain} ({len(product.columns)} "
                         f"columns, key {product.key}):",
                         [(f"mesh build --domain {product.domain}", "builds and tests the product"),
                          ("mesh check", "the product passes every rule"),
                          (f"mesh quality --product {product.name}", f"runs {product.name}.quality.yml")])
