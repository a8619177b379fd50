"""What `mesh access` writes: an agreement requested or decided, and the products' generated grants that follow,
as one Changeset (the agreement and the grants it gives are committed together, or not at all)."""

from __future__ import annotations

import datetime as dt
import getpass
import subprocess
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..changeset import Changeset
from ..errors import MeshError
from ..manifest import Mesh, Node
from ..names import check_text
from .agreements import Agreement, Filed, agreement_path, find_agreement, load_agreements, read_agreement, render
from .grants import granted_roles, other_privileges, select_roles
from .product_yaml import with_grants

# verb -> (the statuses it applies to, the status it gives)
DECISIONS = {"approve": (("requested",), "approved"), "reject": (("requested",), "rejected"),
             "revoke": (("approved",), "revoked")}


@dataclass(frozen=True)
class Request:
    product: str
    consumer: str
    purpose: str
    columns: tuple[str, ...] = ()
    until: dt.date | None = None


def who(root: Path) -> str:
    """Who acts: git's user.email in the project, else the login name."""
    try:
        done = subprocess.run(["git", "config", "user.email"], cwd=root, capture_output=True, text=True, timeout=10)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return getpass.getuser()


def product_node(mesh: Mesh, name: str) -> Node:
    """The latest version of the data product `name`, refused in one line when there is no such product."""
    node = mesh.latest_products().get(name)
    if node is None:
        known = ", ".join(mesh.latest_products()) or "none"
        raise MeshError(f"no data product named '{name}' (a public model); the products are: {known}")
    return node


def request_access(root: Path, mesh: Mesh, request: Request, by: str, today: dt.date) -> Changeset:
    """The agreement file of a new request (status requested). A request may replace a rejected, revoked or expired
    one."""
    node = product_node(mesh, request.product)
    producer = mesh.domain_of(node.unique_id)
    mesh.require_domain(request.consumer)
    if producer is None:
        raise MeshError(f"product {request.product} belongs to no domain; fix its ownership first (mesh check)")
    if request.consumer == producer:
        raise MeshError(f"{request.consumer} owns {request.product}; a domain needs no agreement to read its own "
                        f"product")
    unknown = [column for column in request.columns if column not in node.columns]
    if unknown:
        raise MeshError(f"{request.product} has no column {', '.join(unknown)}; its columns: {', '.join(node.columns)}")
    if request.until is not None and request.until < today:
        raise MeshError(f"--until {request.until} is in the past")
    path = agreement_path(producer, request.consumer, request.product)
    exists = (root / path).exists()
    if exists:
        current = read_agreement(root, path)
        if current.status == "requested" or current.grants(today):
            raise MeshError(f"{path} already exists ({current.status}); nothing was written")
    agreement = Agreement(consumer=request.consumer, product=request.product,
                          purpose=check_text("--purpose", request.purpose, 500), status="requested",
                          requested_by=check_text("--by", by, 200), requested_on=today,
                          columns=list(request.columns), until=request.until)
    changes = Changeset(root)
    (changes.replace if exists else changes.create)(path, render(agreement))  # rejected, revoked, expired: anew
    return changes


def decide(root: Path, mesh: Mesh, agreement_id: str, verb: str, by: str, today: dt.date) -> tuple[Changeset, Filed]:
    """The agreement approved, rejected or revoked, with the product's grants regenerated to match."""
    filed = find_agreement(root, agreement_id)
    allowed, status = DECISIONS[verb]
    if filed.agreement.status not in allowed:
        raise MeshError(f"{agreement_id} is {filed.agreement.status}; only a{'n' if allowed[0][0] in 'aeiou' else ''} "
                        f"{' or '.join(allowed)} agreement can be {status}")
    if verb == "approve" and filed.agreement.expired(today):
        raise MeshError(f"{agreement_id} ended on {filed.agreement.until}; request it again with a later --until")
    decided = msgspec.structs.replace(filed.agreement, status=status, decided_by=check_text("--by", by, 200),
                                      decided_on=today)
    changes = Changeset(root)
    changes.replace(filed.path, render(decided))
    after = Filed(decided, filed.producer, filed.path)
    others = [entry for entry in load_agreements(root)[0] if entry.path != filed.path]
    regrant(root, mesh, [*others, after], today, changes, only=decided.product)
    return changes, after


def regrant(root: Path, mesh: Mesh, filed: list[Filed], today: dt.date, changes: Changeset,
            only: str | None = None) -> list[str]:
    """Add to `changes` every product properties file whose generated grants differ from what the agreements
    give today (`only`: just that product); the names of the products changed."""
    wanted = granted_roles(filed, today)
    changed = []
    for name, node in mesh.latest_products().items():
        if only is not None and name != only:
            continue
        roles = wanted.get(name, [])
        if select_roles(node.config.grants) == roles and not other_privileges(node.config.grants):
            continue  # no grants config at all is as good as `select: []`
        path = (node.patch_path or "").split("://", 1)[-1]
        if not path:
            raise MeshError(f"product {name} has no properties file to hold its grants")
        text = changes.replaced.get(path) or (root / path).read_text(encoding="utf-8")
        changes.replace(path, with_grants(text, node.name, roles, path))
        changed.append(name)
    return changed
