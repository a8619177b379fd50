"""`mesh domain new`: scaffold a domain that passes every rule from birth."""

from __future__ import annotations


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("domain", parents=[common], help="create domains",
                                   description="Create a business domain: its folder, group, owner and example.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", parents=[common], help="create a domain folder with its group and an example",
                             description="Create models/NAME/ (group, owner, layers, an example source and staging "
                                         "model with tests), seeds/NAME/, and regenerate CODEOWNERS. No dbt parse.")
    new.add_argument("name", help="the domain's name: lowercase letters, digits and _")
    new.add_argument("--owner", required=True, help='the owning team\'s name, e.g. "Customer Support"')
    new.add_argument("--email", required=True, help="the team's e-mail address")
    new.add_argument("--team-handle", required=True, help="the team's handle, e.g. @org/support")
    new.add_argument("--description", help="what the domain covers, in a sentence")
    new.add_argument("--dry-run", action="store_true", help="print the files that would be written, change nothing")
    new.set_defaults(run=run_new)


def run_new(args) -> int:
    from ..project import Project
    from ..scaffold.domain import next_steps, plan_domain, validate_domain
    from .changes import apply_or_show

    root = Project.locate(args.project_dir).root
    domain = validate_domain(root, args.name, args.owner, args.email, args.team_handle, args.description)
    return apply_or_show(plan_domain(root, domain), args.dry_run,
                         f"Created domain {domain.name} (owner {domain.owner}, {domain.team_handle}):",
                         next_steps(domain))
