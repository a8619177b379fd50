"""A mesh of dbt projects (`mesh split`): what crosses a project's border is a product, the projects do not
read each other in a cycle, and each graduated project holds only its own domain."""

from __future__ import annotations

from ...errors import MeshError
from ..context import CheckContext
from ..registry import Violation, rule


@rule("PRJ001")
def cross_project_refs_read_contracted_products(ctx: CheckContext):
    """A cross-project ref reads only a public product of the other project whose contract is enforced.

    Rationale: another project releases on its own cadence; only an enforced contract keeps its product's shape
    stable under its consumers (dbt-loom already refuses private and protected models at parse).
    Anti-pattern: `ref('funding', 'advances')` while advances' contract is not enforced.
    Best practice: consume products; producers enforce the contract of every public model.
    """
    facts = ctx.facts
    for node in facts.consumers:
        for parent in node.parents:
            upstream = facts.nodes.get(parent)
            if upstream is None or upstream.project is None or upstream.project == node.project:
                continue
            if upstream.resource_type != "model":
                continue
            if not upstream.is_public or not upstream.contract_enforced:
                why = "is not public" if not upstream.is_public else "has no enforced contract"
                yield Violation("PRJ001", node.unique_id,
                                f"{node.label} ({node.project}) reads {upstream.label} of project {upstream.project}, "
                                f"which {why}; read a product with an enforced contract", node.domain, node.path,
                                parent)


@rule("PRJ002")
def no_cycle_between_projects_domains(ctx: CheckContext):
    """The domains of a mesh of projects do not read each other in a cycle, so they can run in order.

    Rationale: the projects build domain by domain in dependency order (a graduated domain may both read
    and feed the root project); a cycle has no order to run in.
    Anti-pattern: funding reading a product of analytics, which reads advances.
    Best practice: a product reads only upstream domains; move the shared logic to the producer.
    Needs the mesh of projects' folders (mesh.yml `projects:`).
    """
    if len(ctx.projects) < 2:
        return
    from ...projects.order import plan

    try:
        plan(ctx.projects)
    except MeshError as error:
        yield Violation("PRJ002", "mesh.yml", str(error), None, "mesh.yml")


@rule("PRJ003")
def graduated_project_holds_its_domain(ctx: CheckContext):
    """A graduated project's nodes belong to the domains mesh.yml lists for it.

    Rationale: the project is its domain's to release; a node of another domain there would be released,
    reviewed and owned by the wrong team (CODEOWNERS routes the whole folder to the domain, OWN004).
    Anti-pattern: a partners model added under projects/funding/.
    Best practice: each domain's models in its own project's folder; `mesh split` to graduate another.
    Needs the mesh of projects' folders (mesh.yml `projects:`).
    """
    owners = {member.name: set(member.domains) for member in ctx.projects[1:]}
    for node in (*ctx.facts.nodes.values(), *ctx.facts.sources.values()):
        if node.resource_type == "operation":  # the project's on-run hooks: the project's own
            continue
        if node.project in owners and node.domain not in owners[node.project]:
            yield Violation("PRJ003", node.unique_id,
                            f"{node.label} is in project {node.project}, which holds "
                            f"{', '.join(sorted(owners[node.project]))}, but it belongs to "
                            f"{node.domain or 'no domain'}; move it to its domain's project", node.domain,
                            node.path)
