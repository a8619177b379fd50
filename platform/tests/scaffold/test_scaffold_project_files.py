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


# An outside project's dbt_project.yml as jaffle_shop_duckdb writes it: a list indented by four, the tests'
# config under dbt's older `tests:` key.
OUTSIDE_PROJECT = """\
name: 'kiosk'
clean-targets:
    - "target"
    - "logs"
seeds:
  +docs:
    node_color: '#cd7f32'
models:
  kiosk:
    materialized: table
tests:
  kiosk:
    +severity: warn
"""


def test_the_sections_a_new_domain_does_not_touch_keep_their_bytes():
    edited = with_domain_config(OUTSIDE_PROJECT, "sales")

    assert 'clean-targets:\n    - "target"\n    - "logs"\n' in edited
    assert yaml.safe_load(edited)["seeds"]["kiosk"]["sales"] == {"+group": "sales", "+schema": "raw_sales"}


def test_a_project_that_configures_tests_under_the_older_key_gets_the_domain_there():
    data = yaml.safe_load(with_domain_config(OUTSIDE_PROJECT, "sales"))

    assert "data_tests" not in data  # dbt refuses a project with both keys
    assert data["tests"]["kiosk"] == {"+severity": "warn", "sales": {"+group": "sales"}}
