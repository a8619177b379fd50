"""Domains: one dbt group each, one folder `models/<domain>/`, one owner; and where a file sits in them."""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

# The folders a domain owns a sub-folder of: models/<domain>/, seeds/<domain>/, tests/<domain>/, ...
DOMAIN_ROOTS = ("models", "seeds", "tests", "analyses", "snapshots")
# ... of which those holding SQL and YAML that dbt parses as code (seeds are data)
CODE_ROOTS = ("models", "tests", "analyses", "snapshots")
# What belongs to no domain in reports: project-wide findings (macros, expired waivers)
PROJECT_WIDE = "(project)"
# The monolith being shrunk: the domain of this name, or the one whose group's meta.status says so.
LEGACY = "legacy"
DECOMMISSIONING = "decommissioning"
# A domain's layer folders, in the order data flows through them.
LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}


@dataclass(frozen=True)
class Domain:
    """A business domain: one dbt group, one folder `models/<name>/`, one owner."""

    name: str
    owner_name: str
    owner_email: str
    team_handle: str
    description: str
    status: str

    @property
    def owner(self) -> str:
        """`Team <e-mail> @org/team`, for messages."""
        parts = [self.owner_name, f"<{self.owner_email}>" if self.owner_email else "", self.team_handle]
        return " ".join(part for part in parts if part) or "no owner declared"


def domain_from_group(group: Any) -> Domain:
    """A Domain from a group: a manifest entry (struct or dict) or the YAML declaring it."""
    owner = group.get("owner") or {}
    meta = (group.get("config") or {}).get("meta") or {}
    email = owner.get("email") or ""
    return Domain(
        name=group["name"],
        owner_name=owner.get("name") or "",
        owner_email=", ".join(email) if isinstance(email, list) else email,
        team_handle=owner.get("team_handle") or "",
        description=" ".join((group.get("description") or "").split()),
        status=str(meta.get("status", "")),
    )


def domain_from_group_file(group: Any) -> Domain:
    """A Domain from the YAML declaring its group, read without dbt: the text the platform wrote through
    `dbt_literal` (an owner name that looks like Jinja) back as typed, as dbt's manifest shows it."""
    from ..writers.jinja import typed_text

    domain = domain_from_group(group)
    return dataclasses.replace(domain, owner_name=typed_text(domain.owner_name), status=typed_text(domain.status))


def legacy_domain_name(domains: Mapping[str, Domain]) -> str | None:
    """The mesh's monolith: the domain named legacy, else the one domain being decommissioned, else None."""
    if LEGACY in domains:
        return LEGACY
    decommissioning = [name for name, domain in domains.items() if domain.status == DECOMMISSIONING]
    return decommissioning[0] if len(decommissioning) == 1 else None


@dataclass(frozen=True)
class Placement:
    """Where a file sits: `<root>/<domain folder>/<layer>/...` (None for what it is not in)."""

    root: str | None
    folder: str | None
    layer: str | None


NOWHERE = Placement(None, None, None)


def placement(path: str) -> Placement:
    """The root folder (models, seeds, tests, ...), the domain folder below it, and for models the layer folder
    below that: `models/partners/staging/x.sql` -> (models, partners, staging). A file directly in a root
    folder, or outside the project, is in no domain folder."""
    if not path or path.startswith("/"):
        return NOWHERE
    parts = path.split("/")
    if "" in parts or "." in parts:
        parts = [part for part in parts if part not in ("", ".")]
    if len(parts) <= 2:
        return Placement(parts[0] if len(parts) == 2 else None, None, None)
    layer = parts[2] if parts[0] == "models" and len(parts) > 3 and parts[2] in LAYERS else None
    return Placement(parts[0], parts[1], layer)


def domain_from_path(path: str, domains: Container[str]) -> str | None:
    """The declared domain whose folder holds the file (`models/<domain>/...`, `tests/<domain>/...`, ...)."""
    where = placement(path)
    return where.folder if where.root in DOMAIN_ROOTS and where.folder in domains else None
