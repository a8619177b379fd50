"""`mesh handover` of a staging model with the raw data it reads: a source whose every reader moves goes along
with it, its own tests (declared in its YAML entry) too, and the moved project passes `mesh check`. A project of
the shape the large outside projects have: every source's columns tested in its entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from outside_project import adopted_with_sales, mesh

pytestmark = pytest.mark.integration

FILES = {
    "dbt_project.yml": "name: kiosk\nversion: '1.0'\nconfig-version: 2\nprofile: kiosk\n"
                       "flags:\n  send_anonymous_usage_stats: false\n"
                       "models:\n  kiosk:\n    staging:\n      +materialized: view\n",
    "profiles.yml": "kiosk:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: kiosk.duckdb\n",
    "models/staging/_till__sources.yml": "sources:\n  - name: till\n    tables:\n      - name: sales\n"
                                         "        columns:\n          - name: sale_id\n"
                                         "            data_tests: [not_null, unique]\n",
    "models/staging/stg_till__sales.sql": "select sale_id from {{ source('till', 'sales') }}\n",
    "models/staging/_till__models.yml": "models:\n  - name: stg_till__sales\n    columns:\n"
                                        "      - name: sale_id\n        data_tests: [unique]\n",
    "models/marts/daily_sales.sql": "select count(*) as n from {{ ref('stg_till__sales') }}\n",
}


@pytest.fixture
def kiosk(tmp_path) -> Path:
    return adopted_with_sales(tmp_path / "kiosk", FILES)


def test_a_source_read_only_by_what_moves_goes_along_with_its_own_tests(kiosk):
    code, out, err = mesh("handover", "daily_sales", "--to", "sales", "--with-upstream", "--project-dir", kiosk)

    assert code == 0, err
    assert "warning: source till" not in out
    # legacy's staging folder made it a view; sales's staging folder leaves dbt's default (a view too), so said
    assert "stg_till__sales gets other settings from the folders of sales in dbt_project.yml (materialized: view " \
           "-> (dbt's default))" in out
    assert (kiosk / "models/sales/staging/_till__sources.yml").read_text() == FILES["models/staging/_till__sources.yml"]
    assert not (kiosk / "models/legacy/staging/_till__sources.yml").exists()
    assert mesh("check", "--project-dir", kiosk)[0] == 0
