"""`mesh adopt` on a project with analyses and singular tests (shaped like a large warehouse project: an
analysis reading marts, a singular test reading a staging model and a source, a generic test macro under
tests/generic/, the tests configured under dbt's older `tests:` key): they are the monolith's own, so they join
the adopted domain (the tests by config; the analyses, which dbt gives no group, move into analyses/legacy/),
and nothing of theirs is baselined as another domain's dependency on legacy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_adopt import mesh

from mesh_platform.check.baseline import read_baseline

pytestmark = pytest.mark.integration

FILES = {
    "dbt_project.yml": "name: kiosk\nversion: '1.0'\nconfig-version: 2\nprofile: kiosk\n"
                       "flags:\n  send_anonymous_usage_stats: false\n"
                       "models:\n  kiosk:\n    staging:\n      +materialized: view\n"
                       "tests:\n  kiosk:\n    +severity: warn\n",
    "profiles.yml": "kiosk:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: kiosk.duckdb\n",
    "models/staging/_till__sources.yml": "sources:\n  - name: till\n    tables:\n      - name: sales\n",
    "models/staging/stg_till__sales.sql": "select * from {{ source('till', 'sales') }}\n",
    "models/marts/daily_sales.sql": "select count(*) as n from {{ ref('stg_till__sales') }}\n",
    "analyses/weekly_sales.sql": "select * from {{ ref('daily_sales') }}\n",
    "tests/assert_sales_read.sql": "select * from {{ ref('stg_till__sales') }} join {{ source('till', 'sales') }} "
                                   "using (sale_id) where false\n",
    "tests/generic/is_positive.sql": "{% test is_positive(model, column_name) %}\n"
                                     "select * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}\n",
}


@pytest.fixture(scope="module")
def adopted(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("kiosk") / "kiosk"
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    code, out, err = mesh("adopt", root)
    assert code == 0, err
    return root, out


def test_analyses_and_singular_tests_join_the_adopted_domain(adopted):
    root, out = adopted
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    assert (root / "analyses/legacy/weekly_sales.sql").read_text() == FILES["analyses/weekly_sales.sql"]
    assert not (root / "analyses/weekly_sales.sql").exists()
    assert project["tests"]["kiosk"]["+group"] == "legacy" and "data_tests" not in project
    assert "gave    the singular tests to legacy" in out
    nodes = json.loads((root / "target" / "manifest.json").read_text())["nodes"]
    assert nodes["analysis.kiosk.weekly_sales"]["original_file_path"] == "analyses/legacy/weekly_sales.sql"
    assert nodes["test.kiosk.assert_sales_read"]["config"]["group"] == "legacy"


def test_nothing_of_the_monolith_is_baselined_as_its_own_dependency_on_legacy(adopted):
    root, _ = adopted
    codes = {key.split(":")[0] for key in read_baseline(root / "mesh-baseline.json")}
    assert not codes & {"ACC001", "ACC003", "LEG001"}
    code, out, _ = mesh("legacy", "status", "--format", "json", "--project-dir", root)
    assert code == 0 and json.loads(out)["dependents"] == []
