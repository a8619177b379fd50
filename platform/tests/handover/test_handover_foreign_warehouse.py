"""`mesh handover` on a project written for another warehouse, parsed with a DuckDB stand-in (`profile:
snowflake`, an output of `type: duckdb`; `foreign_sql.py`): its SQL does not compile here. The handover is
checked on dbt's parse instead, the rules that need compiled SQL said not to have run, and the process ends
cleanly (dbt's thread pool once outlived the failed compile: an abort at exit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from foreign_sql import snowflake_depot

from mesh_platform.written_for import foreign, written_for

pytestmark = pytest.mark.integration


def mesh(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mesh_platform", *args, "--project-dir", str(root)],
                          capture_output=True, text=True, cwd=root)


def clean_exit(run: subprocess.CompletedProcess) -> bool:
    return not any(mark in run.stderr for mark in ("Traceback", "terminate called", "Exception ignored"))


@pytest.fixture
def adopted(tmp_path) -> Path:
    root = snowflake_depot(tmp_path / "depot")
    assert mesh(root, "adopt").returncode == 0
    domain = mesh(root, "domain", "new", "shipping", "--owner", "Shipping", "--email", "ship@depot.example",
                  "--team-handle", "@depot/shipping")
    assert domain.returncode == 0, domain.stderr
    return root


def test_a_foreign_warehouse_s_handover_is_checked_on_the_parse_and_says_what_did_not_run(adopted):
    run = mesh(adopted, "handover", "shipment_report", "--to", "shipping", "--with-upstream", "--reason", "ours")

    assert run.returncode == 0 and clean_exit(run), run.stdout[-2000:] + run.stderr
    assert "dbt parses the result (written for snowflake, its SQL does not compile here)" in run.stdout
    assert "Not run: ACC002, PII002 (they judge compiled SQL)" in run.stdout
    assert (adopted / "models" / "shipping" / "shipment_report.sql").is_file()
    assert not (adopted / "models" / "legacy" / "shipments.sql").exists()


def test_the_warehouse_a_project_is_written_for(tmp_path):
    assert written_for(snowflake_depot(tmp_path / "named")) == "snowflake"
    configured = snowflake_depot(tmp_path / "configured", profile="depot")
    assert written_for(configured) is None
    with (configured / "dbt_project.yml").open("a") as project_yml:
        project_yml.write("models:\n  depot:\n    +snowflake_warehouse: transform_xs\n")
    assert written_for(configured) == "snowflake"
    assert foreign(configured, "duckdb") == "snowflake" and foreign(configured, "snowflake") is None
