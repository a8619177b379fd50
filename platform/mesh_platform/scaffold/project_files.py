"""dbt_project.yml as a file: the domains it configures, and adding one, edited as a round trip."""

from __future__ import annotations

from io import StringIO

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..writers.yaml_sections import keep_untouched_sections


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

    Edited as a round trip: comments, order and formatting of everything else stay as they were, and every
    top-level section it does not change keeps its bytes. The tests' config goes under the key the project
    already uses (`tests:`, dbt's older name, or `data_tests:`): dbt refuses a project that has both.
    """

    loader = _round_trip()
    data = loader.load(project_yml)
    project = data["name"]
    models = data.setdefault("models", CommentedMap()).setdefault(project, CommentedMap())
    if models.get("+access") == "private":  # the project keeps models private unless they say otherwise
        models[domain] = _flow({"+group": domain, "+schema": domain, "marts": _flow({"+materialized": "table"})})
    else:
        models[domain] = CommentedMap([("+group", domain), ("+schema", domain),
                                       ("staging", _flow({"+access": "private"})),
                                       ("intermediate", _flow({"+access": "private"})),
                                       ("marts", _flow({"+materialized": "table"}))])
    seeds = data.setdefault("seeds", CommentedMap()).setdefault(project, CommentedMap())
    seeds[domain] = _flow({"+group": domain, "+schema": f"raw_{domain}"})
    tests_key = "tests" if "tests" in data and "data_tests" not in data else "data_tests"
    tests = data.setdefault(tests_key, CommentedMap()).setdefault(project, CommentedMap())
    tests[domain] = _flow({"+group": domain})
    out = StringIO()
    loader.dump(data, out)
    return keep_untouched_sections(project_yml, out.getvalue())


def configured_domains(project_yml: str) -> set[str]:
    data = yaml.safe_load(project_yml) or {}
    models = (data.get("models") or {}).get(data.get("name")) or {}
    return {key for key, value in models.items() if isinstance(value, dict) and not key.startswith("+")}
