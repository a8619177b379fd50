"""`mesh adopt` of a project written for a warehouse whose dbt adapter is not installed here: one line that says
which adapter is missing and what to do (install it, or parse with an output of an installed adapter), and the
project as it was; with a DuckDB output under the same profile name it adopts, by a parse alone."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

PROJECT = "name: depot\nversion: '1.0'\nconfig-version: 2\nprofile: depot\n"
SNOWFLAKE = "depot:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      account: x\n"
DUCKDB = "depot:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: depot.duckdb\n"


def adopt(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["adopt", str(root)])
    return code, err.getvalue()


@pytest.fixture
def depot(tmp_path) -> Path:
    root = tmp_path / "depot"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(PROJECT)
    (root / "models" / "shipments.sql").write_text("select 1 as shipment_id\n")
    return root


def test_a_missing_adapter_is_one_line_that_says_what_to_do_and_nothing_changes(depot):
    (depot / "profiles.yml").write_text(SNOWFLAKE)

    code, err = adopt(depot)

    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "type snowflake, and dbt's snowflake adapter (dbt-snowflake) is not installed here" in err
    assert "give the profile an output of an installed adapter (type: duckdb) to parse with" in err
    assert (depot / "models" / "shipments.sql").is_file() and not (depot / "models" / "legacy").exists()


def test_with_a_duckdb_output_of_the_same_profile_it_adopts_by_a_parse(depot):
    (depot / "profiles.yml").write_text(DUCKDB)

    assert adopt(depot)[0] == 0
    assert (depot / "models" / "legacy" / "shipments.sql").is_file() and not (depot / "depot.duckdb").exists()
