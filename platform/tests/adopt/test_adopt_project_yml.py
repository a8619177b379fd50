"""dbt_project.yml of an adopted project: the moved folders' config nests under legacy, comments move with it."""

import yaml

from mesh_platform.adopt.project_yml import has_group_config, with_legacy_config

PROJECT = """\
name: 'shop'   # quoted
profile: 'shop'

models:
  +persist_docs: {relation: true}
  shop:
    staging: {+materialized: view}  # views
    # marts next
    marts:
      +materialized: table
      finance:
        +schema: finance  # money
        # end of finance
      # end of marts
    # a project-wide setting after the folders
    +tags: ["nightly"]
    retired_folder:
      +enabled: false
  dbt_utils:
    +schema: utils

data_tests:
  shop:
    +severity: error
    marts: {+severity: warn}
    staging:
      +store_failures: true
"""

ADOPTED = """\
name: 'shop'   # quoted
profile: 'shop'

models:
  +persist_docs: {relation: true}
  shop:
    legacy:
      +group: legacy
      staging: {+materialized: view}  # views
      # marts next
      marts:
        +materialized: table
        finance:
          +schema: finance  # money
          # end of finance
        # end of marts
    # a project-wide setting after the folders
    +tags: ["nightly"]
    retired_folder:
      +enabled: false
  dbt_utils:
    +schema: utils

data_tests:
  shop:
    +severity: error
    legacy:
      marts: {+severity: warn}
      staging:
        +store_failures: true
    staging:
      +store_failures: true
"""


def test_folder_config_nests_under_legacy_with_its_comments():
    # tests/staging/ exists too: its key also configures singular tests there, so it is copied, not moved
    assert with_legacy_config(PROJECT, {"staging", "marts"}, {"staging"}, "legacy") == ADOPTED


def test_a_project_without_model_config_gets_the_group():
    adopted = with_legacy_config("name: shop\nprofile: shop  # local\n", {"staging"}, set(), "legacy")
    assert adopted == "name: shop\nprofile: shop  # local\nmodels:\n  shop:\n    legacy:\n      +group: legacy\n"


def test_a_model_file_directly_under_models_moves_with_its_config():
    text = "name: shop\nmodels:\n  shop:\n    +materialized: view\n    daily_sales: {+materialized: table}\n"
    data = yaml.safe_load(with_legacy_config(text, {"daily_sales"}, set(), "legacy"))
    assert data["models"]["shop"] == {"+materialized": "view",
                                      "legacy": {"+group": "legacy", "daily_sales": {"+materialized": "table"}}}


def test_group_config_anywhere_means_a_mesh():
    assert has_group_config("name: shop\nseeds:\n  shop:\n    raw: {+group: finance}\n")
    assert not has_group_config(PROJECT)


JAFFLE_LIKE = """\
name: "cafe"
dbt-cloud:·
  project-id: 123 # trailing space·
clean-targets:
- "target"
- "dbt_packages"
seeds:
  cafe:
    +schema: raw
models:
  cafe:
    staging:
      +materialized: view
""".replace("·", " ")  # a trailing space (· here, to keep it visible)


def test_sections_the_edit_leaves_alone_keep_their_bytes_and_seeds_and_snapshots_get_the_group():
    adopted = with_legacy_config(JAFFLE_LIKE, {"staging"}, set(), "legacy", ("seeds", "snapshots"))
    assert adopted == """\
name: "cafe"
dbt-cloud:·
  project-id: 123 # trailing space·
clean-targets:
- "target"
- "dbt_packages"
seeds:
  cafe:
    +group: legacy
    +schema: raw
models:
  cafe:
    legacy:
      +group: legacy
      staging:
        +materialized: view
snapshots:
  cafe:
    +group: legacy
""".replace("·", " ")
