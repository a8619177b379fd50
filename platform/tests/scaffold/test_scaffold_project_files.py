"""dbt_project.yml is edited surgically: a new domain's config is added, nothing else moves."""

import difflib

import yaml
from conftest import REPO

from mesh_platform.domain_files import declared_domains
from mesh_platform.scaffold.project_files import configured_domains, with_domain_config


def test_adding_a_domain_only_adds_lines():
    original = (REPO / "dbt_project.yml").read_text()
    edited = with_domain_config(original, "support")
    diff = list(difflib.ndiff(original.splitlines(), edited.splitlines()))
    assert not [line for line in diff if line.startswith("- ")]
    added = [line[2:].strip() for line in diff if line.startswith("+ ")]
    assert "support: {+group: support, +schema: raw_support}" in added
    assert yaml.safe_load(edited)["models"]["mesh"]["support"]["+group"] == "support"
    # the project's models are private by default: a domain line names its group, schema and marts
    assert "support: {+group: support, +schema: support, marts: {+materialized: table}}" in added
    assert configured_domains(edited) == configured_domains(original) | {"support"}


def test_a_project_without_private_by_default_gets_its_layers_private():
    original = "name: shop\nmodels:\n  shop:\n    +materialized: view\n"
    data = yaml.safe_load(with_domain_config(original, "support"))
    assert data["models"]["shop"]["support"] == {"+group": "support", "+schema": "support",
                                                 "staging": {"+access": "private"},
                                                 "intermediate": {"+access": "private"},
                                                 "marts": {"+materialized": "table"}}


def test_declared_domains_are_read_from_the_group_files_without_dbt():
    domains = declared_domains(REPO)
    assert sorted(domains) == ["analytics", "collections", "funding", "legacy", "merchants", "partners",
                               "underwriting"]
    assert domains["funding"].team_handle == "@lender/funding"
