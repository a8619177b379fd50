"""The mesh on PostgreSQL (dbt-postgres) builds unchanged on a throwaway server and gives DuckDB's analytics.

The server is Debian's PostgreSQL (`make postgres` installs it when missing), started by the tests themselves
in a temporary folder, never one that happens to be running.
"""

from __future__ import annotations

import shutil
import socket
from contextlib import nullcontext
from pathlib import Path

import pytest
from conftest import copy_project
from engine_results import ANALYTICS, build_in_child, differences, read_products
from postgres_server import ServerError, temporary_server

from mesh_platform.dbt_session import DbtSession
from mesh_platform.project import Project

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres_mesh(postgres_environment, tmp_path_factory) -> dict:
    """The reference mesh built on PostgreSQL from scratch, then as a nightly, the analytics read after each
    (engine_results.py, in a child process with the server's environment)."""
    root = copy_project(tmp_path_factory.mktemp("postgres") / "mesh")
    built = build_in_child(root, "postgres", postgres_environment)
    print(f"postgres: build from scratch, nightly, analytics read after each: {built['seconds']:.0f} s")
    return built


@pytest.fixture(scope="module")
def duckdb_products(built_mesh, tmp_path_factory) -> dict[str, dict]:
    """The analytics products of the session's DuckDB build, read from a copy of it."""
    root = tmp_path_factory.mktemp("duckdb") / "mesh"
    shutil.copytree(built_mesh[0], root, ignore=shutil.ignore_patterns("target", "logs"))
    return read_products(DbtSession(Project(root)))


@pytest.mark.parametrize("run", ["full", "nightly"])
def test_the_whole_mesh_builds_on_postgres_with_its_contracts_and_tests(postgres_mesh, built_mesh, run):
    assert postgres_mesh[run]["failures"] == []
    if run == "full":
        assert postgres_mesh[run]["nodes"] == len(built_mesh[1].outcomes) > 0  # seeds, models and data tests
    else:
        assert postgres_mesh[run]["nodes"] > 0  # the incremental products merged, and what is downstream


@pytest.mark.parametrize("run", ["full", "nightly"])
def test_postgres_gives_the_analytics_products_duckdb_gives(postgres_mesh, duckdb_products, run):
    assert set(duckdb_products) == ANALYTICS
    assert all(product["rows"] for product in duckdb_products.values())
    assert differences(duckdb_products, postgres_mesh[run]["products"], names=("duckdb", "postgres")) == []


MACROS = ("select {{ mask_pii(\"'  Ada@Example.COM'\") }} as masked, {{ mask_pii('null') }} as masked_null, "
          "{{ regex_matches(\"repeat('a', 64)\", '[0-9a-f]{64}') }} as whole, "
          "{{ regex_matches(\"'x' || repeat('a', 64)\", '[0-9a-f]{64}') }} as within")


def evaluate(root: Path, target: str, sql: str) -> list:
    result = DbtSession(Project(root), target=target).invoke(["show", "--inline", sql])
    assert result.success, result.exception
    return list(result.result.results[0].agate_table.rows[0].values())


def test_the_dispatched_macros_give_duckdbs_values_on_postgres(postgres_environment, project_copy, monkeypatch):
    for name, value in postgres_environment.items():
        monkeypatch.setenv(name, value)
    on_postgres = evaluate(project_copy, "postgres", MACROS)
    assert on_postgres == evaluate(project_copy, "duckdb", MACROS)
    masked, masked_null, whole, within = on_postgres
    assert len(masked) == 64 and masked_null is None
    assert (whole, within) == (True, False)  # the pattern must match the whole value, not a part of it


@pytest.mark.parametrize("target", ["duckdb", "postgres"])
def test_only_duckdb_reads_raw_data_in_place_elsewhere_the_seeds_load(project_copy, monkeypatch, target):
    monkeypatch.setenv("MESH_RAW_DATA_PATH", "/data/raw")
    manifest = DbtSession(Project(project_copy), target=target).manifest()
    seeds = [node for node in manifest.nodes.values() if node.resource_type == "seed"]
    locations = {source.meta.get("external_location") for source in manifest.sources.values()}
    if target == "duckdb":
        assert seeds == [] and all(location.startswith("read_parquet('/data/raw/") for location in locations)
    else:
        assert len(seeds) == 10 and locations == {None}


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, exited but not yet reaped by its parent, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("interrupted", [False, True])
def test_the_server_is_stopped_and_removed_when_its_block_ends(interrupted):
    with pytest.raises(KeyboardInterrupt) if interrupted else nullcontext(), temporary_server() as server:
        pid = server.postmaster_pid()
        assert alive(pid) and answers(server.port) and (server.folder / f".s.PGSQL.{server.port}").exists()
        if interrupted:
            raise KeyboardInterrupt
    assert not alive(pid) and not answers(server.port) and not server.folder.exists()


def test_without_postgresql_installed_the_server_fails_with_one_line_saying_how_to_install_it(tmp_path):
    with pytest.raises(ServerError) as error, temporary_server(pattern=str(tmp_path / "*" / "bin")):
        pass
    assert "\n" not in str(error.value) and "make postgres" in str(error.value)
