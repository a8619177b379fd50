"""Ownership: every model belongs to exactly one declared domain, and every domain to a reachable owner."""

from __future__ import annotations

import re

from ...codeowners import CODEOWNERS_PATH, locate, render_codeowners
from ..context import CheckContext
from ..registry import Violation, rule

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEAM_HANDLE = re.compile(r"^@[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


@rule("OWN001")
def model_in_domain_folder(ctx: CheckContext):
    """Every model lives in `models/<domain>/` of a declared domain.

    Rationale: the folder is how a domain team finds, reviews and owns its models.
    Anti-pattern: models at the top of `models/` or in a folder no group declares.
    Best practice: declare the domain's group in `models/<domain>/_<domain>__domain.yml` and keep its
    models below that folder.
    """
    facts = ctx.facts
    for node in facts.models:
        if node.folder not in facts.domains:
            where = f"models/{node.folder}/, which no group declares" if node.folder else "no domain folder"
            yield Violation("OWN001", node.unique_id, f"{node.label} is in {where}; move it under models/<domain>/ "
                            f"of a declared domain", node.domain, node.path)


@rule("OWN002")
def group_matches_folder(ctx: CheckContext):
    """A model's group is the domain whose folder it lives in.

    Rationale: dbt lets any model declare any group; a model that claims a foreign group escapes its
    real owner's access rules and appears in another team's reports.
    Anti-pattern: `config(group='funding')` on a model under `models/collections/`.
    Best practice: let the group cascade from the domain folder in dbt_project.yml; never override it.
    """
    facts = ctx.facts
    for node in facts.models:
        if node.folder in facts.domains and node.group != node.folder:
            yield Violation("OWN002", node.unique_id, f"{node.label} lives in models/{node.folder}/ but declares group "
                            f"'{node.group}'; remove the override so it belongs to '{node.folder}'",
                            node.folder, node.path)


@rule("OWN003")
def domain_owner_complete(ctx: CheckContext):
    """Every domain names an owner with a name, a valid e-mail and a team handle.

    Rationale: consumers and the nightly build must know whom to tell when a product breaks.
    Anti-pattern: a group with only `owner: {name: data}` or a personal address nobody reads.
    Best practice: `owner: {name: <team>, email: <team list>, team_handle: "@org/team"}`.
    """
    for group in ctx.facts.groups:
        domain = ctx.facts.domains[group.name]
        problems = []
        if not domain.owner_name:
            problems.append("no owner name")
        if not EMAIL.fullmatch(domain.owner_email):
            problems.append(f"e-mail '{domain.owner_email}' is not valid" if domain.owner_email else "no e-mail")
        if not TEAM_HANDLE.fullmatch(domain.team_handle):
            problems.append(f"team handle '{domain.team_handle}' is not like @org/team"
                            if domain.team_handle else "no team handle")
        if problems:
            yield Violation("OWN003", group.unique_id, f"domain {domain.name}: {', '.join(problems)}",
                            domain.name, group.path)


@rule("OWN004")
def codeowners_current(ctx: CheckContext):
    """The generated block of `.github/CODEOWNERS` is what `mesh codeowners` makes from the groups.

    Rationale: review rights must follow ownership; a hand-edited list drifts from the groups.
    Anti-pattern: editing the block by hand, or adding a domain without regenerating it.
    Best practice: run `mesh codeowners` whenever a group changes and commit the result; the owners' own
    lines (e.g. a catch-all `*`) go outside the block.
    """
    domains = {**ctx.left_out, **ctx.facts.domains}
    if ctx.project_root is None or not domains:
        return
    where = locate(ctx.project_root)
    current = where.read()
    if current != render_codeowners(domains.values(), ctx.project_root, current,
                                    project_folders=ctx.project_folders):
        shown = where.path.relative_to(where.repository).as_posix()
        state = "is missing" if current is None else "does not match the domains' groups"
        yield Violation("OWN004", str(CODEOWNERS_PATH), f"{shown} {state}; run `mesh codeowners`",
                        None, str(CODEOWNERS_PATH))
