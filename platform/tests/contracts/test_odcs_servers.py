"""A contract's `servers` entry from the dbt target's credentials: the fields ODCS and datacontract-cli know,
the product's schema in it; none for a target no other tool can connect to."""

from types import SimpleNamespace

import pytest

from mesh_platform.contracts.servers import target_of


@pytest.mark.parametrize("credentials, servers", [
    (SimpleNamespace(type="duckdb", path="warehouse/mesh.duckdb"),
     [{"server": "t", "type": "duckdb", "database": "warehouse/mesh.duckdb", "schema": "funding"}]),
    (SimpleNamespace(type="postgres", host="db.example", port=5433, database="mesh", user="me", password="secret"),
     [{"server": "t", "type": "postgres", "host": "db.example", "port": 5433, "database": "mesh",
       "schema": "funding"}]),
    (SimpleNamespace(type="spark", method="thrift", host="spark.example", port=10000, schema="main"),
     [{"server": "t", "type": "hive", "host": "spark.example", "port": 10000, "database": "funding"}]),
])
def test_a_reachable_target_names_the_products_schema_and_no_secret(credentials, servers):
    target = target_of("t", credentials)
    assert target.servers("funding") == servers and target.unreachable == ""


@pytest.mark.parametrize("credentials, why", [
    (SimpleNamespace(type="duckdb", path=":memory:"), "an in-memory DuckDB database outlives no run"),
    (SimpleNamespace(type="spark", method="session", host="NA"),
     "a Spark target of method session has no server another tool can connect to"),
    (SimpleNamespace(type="snowflake"), "the platform does not map snowflake targets to ODCS servers yet"),
])
def test_a_target_no_tool_can_reach_gets_no_entry_and_says_why(credentials, why):
    target = target_of("t", credentials)
    assert target.servers("funding") == [] and target.unreachable == why
