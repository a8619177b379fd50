"""A tiny project of Snowflake SQL parsed with a DuckDB profile: `days` runs Snowflake's `to_date` at compile
time (as dbt_utils.date_spine does), so the project parses here but does not compile. `days_report` reads it
and thirty models wait beside it: when `days` fails, dbt raises with jobs still queued in its thread pool."""

from __future__ import annotations

from pathlib import Path

SNOWFLAKE_ONLY = "{% if execute %}{% do run_query(\"select to_date('02/01/2010', 'mm/dd/yyyy')\") %}{% endif %}\n"
QUEUED = 30


def snowflake_depot(root: Path, profile: str = "snowflake") -> Path:
    """The project at `root`; its profile (`profile`, an output of type duckdb) in its own profiles.yml."""
    models = root / "models"
    models.mkdir(parents=True)
    (root / "dbt_project.yml").write_text(f"name: depot\nversion: '1.0'\nconfig-version: 2\nprofile: {profile}\n")
    (root / "profiles.yml").write_text(
        f"{profile}:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: depot.duckdb\n")
    (models / "base.sql").write_text("select 1 as id\n")
    (models / "days.sql").write_text(SNOWFLAKE_ONLY + "select id as day_id from {{ ref('base') }}\n")
    (models / "days_report.sql").write_text("select day_id from {{ ref('days') }}\n")
    (models / "shipments.sql").write_text("select 1 as shipment_id\n")
    (models / "shipment_report.sql").write_text("select shipment_id from {{ ref('shipments') }}\n")
    for number in range(QUEUED):
        (models / f"queued_{number:02}.sql").write_text(
            f"select id + {number} as queued_id from {{{{ ref('base') }}}}\n")
    return root
