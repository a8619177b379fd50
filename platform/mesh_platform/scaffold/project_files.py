"""The project as files, read without a dbt parse: declared domains, and the domain config in dbt_project.yml."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..errors import MeshError
from ..graph import Domain, domain_from_group


def declared_domains(root: Path) -> dict[str, Domain]:
    """Groups declared in `models/<domain>/_<domain>__domain.yml` files."""
    domains = {}
    for path in sorted((root / "models").glob("*/_*__domain.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            raise MeshError(f"{path.relative_to(root)} is not valid YAML; fix it first") from None
        for group in data.get("groups") or []:
            domains[group["name"]] = domain_from_group(group)
    return domains


def _round_trip() -> YAML:
    loader = YAML()
    loader.preserve_quotes = True
    loader.width = 4096
    loader.indent(mapping=2, sequence=4, offset=2)
    return loader


def _flow(mapping: dict) -> CommentedMap:
    flow = CommentedMap(mapping)
    flow.fa.set_flow_style()
    return flow


def with_domain_config(project_yml: str, domain: str) -> str:
    """dbt_project.yml with the domain's folder config added (group, schema, layers, seeds, tests).

    Edited as a round trip: comments, order and formatting of everything else stay as they were.
    """
    loader = _round_trip()
    data = loader.load(project_yml)
    project = data["name"]
    models = data.setdefault("models", CommentedMap()).setdefault(project, CommentedMap())
    models[domain] = CommentedMap([("+group", domain), ("+schema", domain),
                                   ("staging", _flow({"+access": "private"})),
                                   ("intermediate", _flow({"+access": "private"})),
                                   ("marts", _flow({"+materialized": "table"}))])
    seeds = data.setdefault("seeds", CommentedMap()).setdefault(project, CommentedMap())
    seeds[domain] = _flow({"+group": domain, "+schema": f"raw_{domain}"})
    tests = data.setdefault("data_tests", CommentedMap()).setdefault(project, CommentedMap())
    tests[domain] = _flow({"+group": domain})
    out = StringIO()
    loader.dump(data, out)
    return out.getvalue()


def configured_domains(project_yml: str) -> set[str]:
    data = yaml.safe_load(project_yml) or {}
    models = (data.get("models") or {}).get(data.get("name")) or {}
    return {key for key, value in models.items() if isinstance(value, dict) and not key.startswith("+")}
