"""`mesh access`: access agreements as code (request, approve, reject, revoke, list) and the grants from them."""

from __future__ import annotations

import datetime as dt

from .session import open_session

VERBS = {"approve": "approve a requested agreement (the producer's owners, in the pull request)",
         "reject": "reject a requested agreement",
         "revoke": "revoke an approved agreement (its grants go on the next build)"}


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "access", parents=[common], help="access agreements between domains, and the warehouse grants from them",
        description="Who may read a data product: one agreement file per consumer and product in the producer's "
                    "folder (models/<producer>/access/), reviewed in a pull request; the products' dbt grants are "
                    "generated from the approved ones.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    request = actions.add_parser("request", parents=[common], help="request access to a product for a domain",
                                 description="Write a requested agreement into the producing domain's folder.")
    request.add_argument("product", metavar="PRODUCT", help="the data product (a public model's name)")
    request.add_argument("--for", dest="consumer", required=True, metavar="DOMAIN", help="the consuming domain")
    request.add_argument("--purpose", required=True, help="what the consumer reads it for")
    request.add_argument("--columns", type=_columns, default=(), metavar="C1,C2",
                         help="the columns it needs (default: all; recorded, not enforced by the grants)")
    request.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="the last day the agreement holds")
    request.add_argument("--by", help="who asks (default: git's user.email)")
    request.set_defaults(run=run_request)
    for verb, summary in VERBS.items():
        decide = actions.add_parser(verb, parents=[common], help=summary, description=summary[0].upper() + summary[1:]
                                    + "; the product's generated grants are rewritten to match.")
        decide.add_argument("agreement", metavar="ID", help="the agreement: <consumer>__<product>")
        decide.add_argument("--by", help="who decides (default: git's user.email)")
        decide.set_defaults(run=run_decide, verb=verb)
    listing = actions.add_parser("list", parents=[common], help="the agreements, with status and expiry")
    listing.add_argument("--domain", help="only agreements where this domain produces or consumes")
    listing.add_argument("--product", help="only agreements on this product")
    listing.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    listing.set_defaults(run=run_list)
    grants = actions.add_parser("grants", parents=[common], help="regenerate the products' grants from the agreements",
                                description="Rewrite each product's generated `grants:` to what its approved, "
                                            "unexpired agreements give (after an agreement expired, say).")
    grants.add_argument("--check", action="store_true", help="only say whether they are current (exit 1 if not)")
    grants.set_defaults(run=run_grants)


def _columns(text: str) -> tuple[str, ...]:
    return tuple(column.strip() for column in text.split(",") if column.strip())


def _date(text: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-06-30") from None


def run_request(args) -> int:
    from ..access.changes import Request, request_access, who
    from ..console import say

    session = open_session(args)
    root = session.project.root
    request = Request(args.product, args.consumer, args.purpose, args.columns, args.until)
    changes = request_access(root, session.mesh(), request, args.by or who(root), dt.date.today())
    changes.apply()
    path = changes.paths()[0]
    say(f"Wrote {path} (requested). Open a pull request: {path.split('/')[1]}'s owners review it and run "
        f"`mesh access approve {args.consumer}__{args.product}`.")
    return 0


def run_decide(args) -> int:
    from ..access.changes import decide, who
    from ..console import say

    session = open_session(args)
    root = session.project.root
    changes, filed = decide(root, session.mesh(), args.agreement, args.verb, args.by or who(root), dt.date.today())
    changes.apply()
    written = ", ".join(f"{changes.verb(path)} {path}" for path in changes.paths())
    say(f"{filed.agreement.id} is {filed.agreement.status}: {written}")
    return 0


def run_list(args) -> int:
    import json

    from rich.markup import escape  # what people typed is shown as text, never as the table's markup

    from ..access.listing import agreement_rows
    from ..console import print_table, say
    from ..project import Project

    rows = agreement_rows(Project.locate(args.project_dir).root, args.domain, args.product, dt.date.today())
    if args.format == "json":
        say(json.dumps(rows, indent=2))
        return 0
    print_table("Access agreements", ["ID", "Producer", "Consumer", "Product", "Status", "Until", "Purpose"],
                [[escape(str(cell)) for cell in (r["id"], r["producer"], r["consumer"], r["product"], r["state"],
                                                 r["until"] or "-", r["purpose"])] for r in rows])
    return 0


def run_grants(args) -> int:
    from ..access.agreements import load_agreements
    from ..access.changes import regrant
    from ..changeset import Changeset
    from ..console import say

    session = open_session(args)
    root = session.project.root
    changes = Changeset(root)
    changed = regrant(root, session.mesh(), load_agreements(root)[0], dt.date.today(), changes)
    if not changed:
        say("The products' grants are what the agreements give.")
        return 0
    if args.check:
        say(f"Grants out of date for {', '.join(changed)}; run `mesh access grants`.")
        return 1
    changes.apply()
    say(f"Rewrote the grants of {', '.join(changed)}: " + ", ".join(changes.paths()))
    return 0
