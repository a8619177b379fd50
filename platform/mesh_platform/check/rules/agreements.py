"""Access agreements: every read of another domain's product is agreed, and the warehouse grants follow them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ...access import Filed, granted_roles, other_privileges, role_of, select_roles
from ..context import CheckContext
from ..facts import NodeFacts
from ..registry import Violation, rule


def _request(product: str, consumer: str) -> str:
    return f'mesh access request {product} --for {consumer} --purpose "<why {consumer} reads it>"'


@rule("ACC004")
def cross_domain_reads_are_agreed(ctx: CheckContext):
    """A node reads another domain's data product only under an approved, unexpired access agreement.

    Rationale: the producer must know who reads its product and why, to change it safely and to grant the
    warehouse access; the agreement (in the producer's folder, reviewed by its owners) is that record, and the
    grants are generated from it. Models, tests and analyses of every domain count, legacy's too: a test reads
    the product in the warehouse as its domain's model would.
    Anti-pattern: `{{ ref('advances') }}` in analytics with no `models/funding/access/analytics__advances.access.yml`,
    or one still `requested`, revoked or past its `until`.
    Best practice: `mesh access request PRODUCT --for DOMAIN --purpose TEXT`, then the producer's
    `mesh access approve ID` in the pull request.
    Needs the project's folder (agreements are files, not in the manifest).
    """
    if ctx.project_root is None:
        return
    facts, today = ctx.facts, dt.date.today()
    filed, unreadable = ctx.agreements()
    for bad in unreadable:
        yield Violation("ACC004", bad.path, f"access agreement {bad.problem}", bad.producer, bad.path)
    agreed = {(entry.producer, entry.agreement.consumer, entry.agreement.product): entry for entry in filed}
    for node in facts.consumers:
        if node.domain is None:
            continue
        seen = set()
        for parent in node.foreign_parents:
            product = facts.nodes.get(parent)
            producer = product.domain if product is not None and product.is_public else None
            if product is None or producer is None or producer == node.domain or product.name in seen:
                continue
            seen.add(product.name)
            entry = agreed.get((producer, node.domain, product.name))
            problem = _unagreed(entry, node, product, today)
            if problem:
                yield Violation("ACC004", node.unique_id, f"{node.resource_type} {node.label} ({node.domain}) reads "
                                f"{product.name} of {product.domain} {problem}", node.domain, node.path,
                                f"{product.domain}.{product.name}")
    yield from _agreement_faults(ctx, filed, today)


def _unagreed(entry: Filed | None, node: NodeFacts, product: NodeFacts, today: dt.date) -> str | None:
    """Why the read is not agreed (None when it is)."""
    if entry is None:
        return f"without an access agreement; request one: {_request(product.name, node.domain or '')}"
    agreement = entry.agreement
    if agreement.status == "requested":
        return (f"while its agreement {agreement.id} is only requested; {product.domain}'s owners approve it: "
                f"mesh access approve {agreement.id}")
    if agreement.status != "approved":
        return (f"although its agreement {agreement.id} was {agreement.status}; stop reading it, or request again: "
                f"{_request(product.name, node.domain or '')}")
    if agreement.expired(today):
        return (f"under agreement {agreement.id}, which ended on {agreement.until}; renew it: "
                f"{_request(product.name, node.domain or '')} --until YYYY-MM-DD")
    return None


def _agreement_faults(ctx: CheckContext, filed: list[Filed], today: dt.date) -> Iterator[Violation]:
    """Agreements that cannot hold: expired, filed where no such product is, naming unknown domains or columns.
    A domain a quarantined parse left out is still a domain; the agreements on its products wait for its parse."""
    products = {(node.domain, node.name): node for node in ctx.facts.products}
    domains = {**ctx.left_out, **ctx.facts.domains}
    for entry in filed:
        agreement, where = entry.agreement, f"access agreement {entry.agreement.id} ({entry.path})"
        product = products.get((entry.producer, agreement.product))
        if entry.producer in ctx.left_out:
            continue
        if product is None:
            problem = f"names {agreement.product}, which is no data product of {entry.producer}"
        elif agreement.consumer not in domains or agreement.consumer == entry.producer:
            problem = f"is for '{agreement.consumer}', which is no other domain of the mesh"
        elif set(agreement.columns) - set(product.columns):
            problem = f"names columns {', '.join(sorted(set(agreement.columns) - set(product.columns)))} " \
                      f"that {agreement.product} does not have"
        elif agreement.status == "approved" and agreement.expired(today):
            problem = (f"ended on {agreement.until}: renew it (mesh access request) or revoke it "
                       f"(mesh access revoke {agreement.id})")
        else:
            continue
        yield Violation("ACC004", f"agreement:{agreement.id}", f"{where} {problem}", entry.producer, entry.path)


@rule("ACC006")
def grants_follow_agreements(ctx: CheckContext):
    """Warehouse grants are exactly what the access agreements give: a product grants `select` to the roles of the
    domains with an approved, unexpired agreement; nothing else is granted outside its domain.

    Rationale: the grants are generated from the agreements (`mesh access grants`); a grant edited by hand, or
    left behind by a revoked or expired agreement, lets a domain read what nobody agreed to.
    Anti-pattern: `grants: {select: [mesh_analytics]}` typed on a private model or a raw seed, or a product's
    generated grants not regenerated after `revoke`.
    Best practice: change access only through `mesh access approve|revoke`, which rewrites the grants, and run
    `mesh access grants` when an agreement has expired.
    Needs the project's folder (agreements are files, not in the manifest).
    """
    if ctx.project_root is None:
        return
    filed, _ = ctx.agreements()  # ACC004 reports the unreadable ones
    wanted = granted_roles(filed, dt.date.today())
    for node in ctx.facts.nodes.values():
        if node.resource_type == "model" and node.is_public and node.domain is not None:
            roles = wanted.get(node.name, [])
            if select_roles(node.grants) != roles or other_privileges(node.grants):
                yield Violation("ACC006", node.unique_id, f"{node.label} grants {_shown(node.grants)} but its "
                                f"agreements give select to {_roles(roles)}; run `mesh access grants`",
                                node.domain, node.path)
        elif node.grants:
            own = role_of(node.domain) if node.domain else None
            foreign = sorted({str(grantee) for grantees in node.grants.values()
                              for grantee in ([grantees] if isinstance(grantees, str) else grantees)} - {own})
            if foreign:
                yield Violation("ACC006", node.unique_id, f"{node.resource_type} {node.label} is not a data product "
                                f"but grants access to {', '.join(foreign)}; remove its grants (only products are "
                                f"shared, through agreements)", node.domain, node.path)


def _shown(grants) -> str:
    """A grants config in words (no brackets: reports render them as markup)."""
    shown = [f"{key} to {_roles(select_roles({'select': value}))}" for key, value in (grants or {}).items()]
    return ", ".join(shown) or "nothing"


def _roles(roles: list[str]) -> str:
    return ", ".join(roles) or "no role"
