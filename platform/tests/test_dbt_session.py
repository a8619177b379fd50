"""DbtSession: one parse per session, and the warehouse file released after every dbt command."""

import duckdb
import pytest
from conftest import WAREHOUSE, copy_project

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
