"""Fixtures: the reference mesh copied into temporary folders and built with real dbt on real DuckDB."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from mesh_platform.build import BuildReport, run_build
from mesh_platform.dbt_session import DbtSession
from mesh_platform.project import Project

REPO = Path(__file__).resolve().parents[2]
PROJECT_ITEMS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "mesh.yml",
                 "mesh-baseline.json", "ownership-log.csv", ".github", ".sqlfluff", ".dbtignore")
WAREHOUSE = Path("warehouse") / "mesh.duckdb"
PARSE_STATE = Path("target") / "partial_parse.msgpack"  # dbt's partial parse state: a copy reparses what changed


def copy_project(destination: Path, source: Path = REPO) -> Path:
    """Copy the dbt project (no .venv, no target, no warehouse file) into `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for item in PROJECT_ITEMS:
        origin = source / item
        if origin.is_dir():
            shutil.copytree(origin, destination / item)
        else:
            shutil.copy2(origin, destination / item)
    (destination / "warehouse").mkdir(exist_ok=True)
    return destination


def build(root: Path, **options) -> BuildReport:
    return run_build(DbtSession(Project(root)), **options)


def query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / WAREHOUSE)) as connection:
        return connection.sql(sql).fetchall()


def execute(root: Path, sql: str) -> None:
    with duckdb.connect(str(root / WAREHOUSE)) as connection:
        connection.execute(sql)


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory):
    """The tests build into their own folders: never into a warehouse the caller's environment names, nor
    with the caller's check-cache key (XDG_CACHE_HOME is a folder of the session's own)."""
    saved = {name: os.environ.pop(name) for name in ("MESH_DUCKDB_PATH", "MESH_TARGET", "MESH_RAW_DATA_PATH",
                                                     "MESH_AS_OF_DATE", "MESH_TEST_WINDOW_DAYS", "XDG_CACHE_HOME")
             if name in os.environ}
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    os.environ.pop("XDG_CACHE_HOME")
    os.environ.update(saved)


def share_parse_state(origin: Path, root: Path) -> Path:
    """Give the copy `root` the parse state of `origin`: dbt then reparses only the files that differ."""
    if (origin / PARSE_STATE).is_file():
        (root / PARSE_STATE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin / PARSE_STATE, root / PARSE_STATE)
    return root


def copy_masking_key(origin: Path, root: Path) -> None:
    """Give `root` the demo warehouse key of `origin`, so that their masked columns compare equal."""
    key = WAREHOUSE.with_name(WAREHOUSE.name + ".pii-key")
    (root / key).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(origin / key, root / key)


@pytest.fixture(scope="session")
def built_mesh(tmp_path_factory) -> tuple[Path, BuildReport]:
    """The whole reference mesh built once from scratch; read it, never change it."""
    root = copy_project(tmp_path_factory.mktemp("built") / "mesh")
    return root, build(root)


@pytest.fixture
def built_copy(built_mesh, tmp_path) -> Path:
    """A private copy of the built mesh (warehouse and parse state included) that a test may change."""
    return copy_with_parse_state(built_mesh[0], tmp_path / "mesh")


def copy_with_parse_state(origin: Path, root: Path) -> Path:
    """`root`: a copy of the built project `origin` (its warehouse too, not its target/ or logs/), with the
    parse state of `origin` so dbt does not parse it from scratch."""
    shutil.copytree(origin, root, ignore=shutil.ignore_patterns("target", "logs"))
    return share_parse_state(origin, root)


@pytest.fixture(scope="session")
def parsed_mesh(tmp_path_factory) -> Path:
    """The reference mesh parsed once, for its parse state; read it, never change it."""
    root = copy_project(tmp_path_factory.mktemp("parsed") / "mesh")
    DbtSession(Project(root)).manifest()
    return root


@pytest.fixture
def project_copy(parsed_mesh, tmp_path) -> Path:
    """A fresh, unbuilt copy of the reference mesh (with the parse state of an unchanged copy)."""
    return share_parse_state(parsed_mesh, copy_project(tmp_path / "mesh"))


POSTGRES_TEST_KEY = "postgres-tests-masking-key-0123456789"


@pytest.fixture(scope="session")
def postgres_environment() -> dict[str, str]:
    """A throwaway PostgreSQL server for the session, shared by the tests in postgres/: the environment that
    points dbt's `postgres` target at it (MESH_TARGET, MESH_PG_*). Stopped and removed at the end of the session."""
    from postgres_server import temporary_server  # postgres/ is on the path of the tests that ask for it

    from mesh_platform.masking import KEY_VARIABLE

    with temporary_server() as server:
        yield {**server.environment(), KEY_VARIABLE: POSTGRES_TEST_KEY}


def dbt_test_statuses(root: Path, select: str) -> dict[str, str]:
    """Run `dbt test --select SELECT` on a built project; return {test name: status}."""
    result = DbtSession(Project(root)).invoke(["test", "--select", select])
    assert result.result is not None, result.exception
    return {r.node.name: str(r.status) for r in result.result.results if r.node.resource_type == "test"}


def tree_hash(root: Path) -> dict[str, str]:
    """Every source file under `root` with its SHA-256 (build outputs and the warehouse left out)."""
    import hashlib

    skip = {"target", "logs", "warehouse"}
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*"))
            if path.is_file() and not skip & set(path.relative_to(root).parts)}


INTEGRATION_FIXTURES = {"built_mesh", "built_copy", "parsed_mesh", "project_copy"}


def pytest_collection_modifyitems(items):
    """A test that uses a real dbt project (any fixture above, directly or through another) is an integration
    test, marked or not: `-m "not integration"` then runs the unit tests alone."""
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
