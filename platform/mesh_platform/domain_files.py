"""The domains declared in the project's files, read without a dbt parse."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import MeshError
from .manifest import Domain, domain_from_group_file


def declared_domains(root: Path) -> dict[str, Domain]:
    """Groups declared in `models/<domain>/_<domain>__domain.yml` files."""
    domains = {}
    for path in sorted((root / "models").glob("*/_*__domain.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            raise MeshError(f"{path.relative_to(root)} is not valid YAML; fix it first") from None
        for group in data.get("groups") or []:
            domains[group["name"]] = domain_from_group_file(group)
    return domains
