"""`mesh domains`: the domains with their owners, data products and models."""

from __future__ import annotations

import json

from ..projects.runs import whole_mesh
from .session import open_session


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "domains", parents=[common], help="list domains with owner, product count and model count",
        description="List the mesh's domains (dbt groups) with owner, team, data products and models.",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..console import print_table, say

    mesh = whole_mesh(open_session(args))
    rows = []
    for domain in mesh.domains.values():
        products = sorted({model.name for model in mesh.products(domain.name)})
        models = {model.name for model in mesh.models(domain.name)}
        rows.append({"domain": domain.name, "owner": domain.owner_name, "email": domain.owner_email,
                     "team_handle": domain.team_handle, "status": domain.status,
                     "products": len(products), "models": len(models), "product_names": products})
    if args.format == "json":
        say(json.dumps(rows, indent=2))
        return 0
    print_table("Domains", ["Domain", "Owner", "Team", "Status", "Products", "Models"],
                [[r["domain"], r["owner"], r["team_handle"], r["status"], r["products"], r["models"]] for r in rows],
                numeric_from=4)
    return 0
