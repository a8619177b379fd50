"""DbtSession: one parse per session, and the warehouse file released after every dbt command."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import WAREHOUSE, copy_project
from foreign_sql import snowflake_depot

from mesh_platform.dbt_session import DbtSession
from mesh_platform.errors import MeshError
from mesh_platform.project import Project

pytestmark = pytest.mark.integration


def test_the_project_is_parsed_once_however_many_commands_run(project_copy):
    session = DbtSession(Project(project_copy))
    session.invoke(["seed", "--select", "partner_portal__partners"])
    session.invoke(["run", "--select", "stg_partner_portal__partners"])
    session.mesh()
    assert session.parse_count == 1


def test_after_a_command_the_warehouse_is_free_and_each_project_uses_its_own(tmp_path):
    first, second = copy_project(tmp_path / "first"), copy_project(tmp_path / "second")
    DbtSession(Project(first)).invoke(["seed", "--select", "partner_portal__partners"])
    with duckdb.connect(str(first / WAREHOUSE), read_only=True) as reader:  # no lock, no config clash
        assert reader.sql("select count(*) from raw_partners.partner_portal__partners").fetchone() == (8,)
    DbtSession(Project(second)).invoke(["seed", "--select", "crm__merchants"])
    with duckdb.connect(str(second / WAREHOUSE), read_only=True) as reader:
        tables = {row[0] for row in reader.sql("select table_name from information_schema.tables").fetchall()}
    assert tables == {"crm__merchants"}


def test_locating_the_project(project_copy, tmp_path):
    assert Project.locate(project_copy / "models" / "funding").root == project_copy
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(MeshError, match="no dbt_project.yml in .* or above it"):
        Project.locate(elsewhere)
    with pytest.raises(MeshError, match="does not exist"):
        Project.locate(tmp_path / "missing")



def parse_warnings(root) -> list[str]:
    """dbt's warnings on a full parse of the project at `root`, in a process of its own (dbt sums up the
    deprecations a process met in every project it parsed)."""
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run([str(dbt), "parse", "--no-partial-parse", "--log-format", "json", "--profiles-dir", str(root),
                           "--project-dir", str(root)], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stdout[-2000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return [event["info"]["msg"] for event in events if event["info"]["level"] == "warn"]


def test_the_reference_mesh_parses_from_scratch_without_a_warning(tmp_path):
    """No unused configuration paths, no deprecations: a warning on every parse hides the one that matters."""
    assert parse_warnings(copy_project(tmp_path / "mesh")) == []


def test_a_warning_on_parse_is_seen(tmp_path):
    """The test above can fail: a config path no model uses is a warning."""
    root = copy_project(tmp_path / "mesh")
    project_yml = root / "dbt_project.yml"
    project_yml.write_text(project_yml.read_text().replace(
        "    analytics: {", "    nowhere: {+materialized: table}\n    analytics: {"))
    assert any("models.mesh.nowhere" in warning for warning in parse_warnings(root))


def test_a_node_that_fails_to_compile_is_one_line_without_a_traceback_on_the_way_out(tmp_path):
    """dbt leaves its thread pool running when a node fails to compile; the session lets go of it at once, so
    the process does not end on a `Pool.__del__ ... Bad file descriptor` traceback."""
    import shutil

    root = Path(shutil.copytree(Path(__file__).parent / "fixtures" / "shop", tmp_path / "shop"))
    (root / "models/marts/refunds.sql").write_text(
        "{% if execute %}{{ exceptions.raise_compiler_error('refunds are not exported yet') }}{% endif %}\n"
        "select 1 as refund_id\n")
    run = subprocess.run([sys.executable, "-m", "mesh_platform", "check", "--project-dir", str(root)],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith("mesh: dbt could not compile") and run.stderr.count("\n") == 1, run.stderr


def test_a_compile_that_fails_with_jobs_still_queued_ends_in_one_line(tmp_path):
    """dbt raises on the first node that fails while the jobs it queued stay in its thread pool, whose threads
    go on compiling: the session stops that pool, so the process ends on the one line, without a
    `Pool.__del__ ... Bad file descriptor` traceback or an abort (a Snowflake-only function on DuckDB)."""
    root = snowflake_depot(tmp_path / "depot")
    run = subprocess.run([sys.executable, "-m", "mesh_platform", "catalog", "--project-dir", str(root)],
                         capture_output=True, text=True, cwd=root)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith("mesh: dbt could not compile") and run.stderr.count("\n") == 1, run.stderr
    assert "to_date does not exist" in run.stderr
