"""A handed-over model takes the settings of its new folders in dbt_project.yml: what would change (a staging
view becoming a table, other tags) is named, so the handover says it; the domain's own settings (group, access,
schema) change on purpose and are not."""

from mesh_platform.handover.access import FolderConfig, lost_settings

PROJECT = """\
name: kiosk
models:
  kiosk:
    materialized: table
    legacy:
      +group: legacy
      staging:
        materialized: view
        +tags: [hourly]
      marts:
        +schema: marts
    sales:
      +group: sales
      +schema: sales
      staging: {+access: private}
      marts: {+materialized: table}
"""


def folders(tmp_path) -> FolderConfig:
    (tmp_path / "dbt_project.yml").write_text(PROJECT)
    return FolderConfig(tmp_path, "kiosk")


def test_a_staging_view_that_would_become_a_table_is_named(tmp_path):
    lost = lost_settings(folders(tmp_path), "models/legacy/staging/stg_till__sales.sql",
                         "models/sales/staging/stg_till__sales.sql")
    assert lost == ["materialized: view -> table", "tags: ['hourly'] -> (dbt's default)"]


def test_a_model_whose_settings_stay_the_same_but_its_domains_is_not_named(tmp_path):
    assert lost_settings(folders(tmp_path), "models/legacy/marts/daily_sales.sql",
                         "models/sales/marts/daily_sales.sql") == []
