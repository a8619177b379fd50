"""Warehouse grants derived from the agreements: one role per domain, `select` on a product for the roles of the
domains with an approved, unexpired agreement on it, nothing else."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MeshError
from .agreements import Filed

ROLE_PREFIX = "mesh_"
ROLE = re.compile(r"^mesh_[a-z][a-z0-9_]*$")  # a plain SQL identifier: no quoting on any engine
PRIVILEGE = "select"


def role_of(domain: str) -> str:
    """The warehouse role of a domain: `mesh_<domain>`."""
    role = ROLE_PREFIX + domain
    if not ROLE.match(role):
        raise MeshError(f"domain '{domain}' gives no plain role name ({role}); domain names are lowercase identifiers")
    return role


def domain_of_role(role: str) -> str | None:
    return role[len(ROLE_PREFIX):] if role.startswith(ROLE_PREFIX) else None


def granted_roles(filed: Iterable[Filed], today: dt.date) -> dict[str, list[str]]:
    """The roles each product (by name) grants `select` to, from the agreements that hold today."""
    roles: dict[str, set[str]] = defaultdict(set)
    for entry in filed:
        if entry.agreement.grants(today):
            roles[entry.agreement.product].add(role_of(entry.agreement.consumer))
    return {product: sorted(names) for product, names in roles.items()}


def select_roles(grants: Mapping[str, Any] | None) -> list[str]:
    """The grantees of `select` in a dbt grants config (a missing config grants nothing)."""
    value = (grants or {}).get(PRIVILEGE) or []
    return sorted({value} if isinstance(value, str) else set(map(str, value)))


def other_privileges(grants: Mapping[str, Any] | None) -> list[str]:
    """Privileges other than select in a dbt grants config (agreements only ever give select)."""
    return sorted(key for key in (grants or {}) if key != PRIVILEGE)


def grants_line(roles: list[str]) -> str:
    """The generated `grants:` value as one flow-style YAML line (role names are plain identifiers)."""
    for role in roles:
        if not ROLE.match(role):
            raise MeshError(f"'{role}' is not a domain role name (mesh_<domain>)")
    return "{" + PRIVILEGE + ": [" + ", ".join(roles) + "]}"
