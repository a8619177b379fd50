"""The mesh on Spark (dbt-spark's session method, local pyspark) builds unchanged and gives DuckDB's analytics.

The tests marked `spark` need the `spark` extra (`make test-spark` installs it and runs them); `make test`
leaves them out. The comparison helper's own tests run everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import copy_project
from engine_results import ANALYTICS, build_in_child, differences, normalise

from mesh_platform.masking import KEY_VARIABLE


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> dict[str, dict]:
    """The reference mesh (scale 1: the seeds) built on DuckDB and on Spark, one copy each: from scratch, then
    as a nightly (the incremental products on what is there: merged by key on DuckDB, days overwritten on
    Spark), with the analytics products read after each."""
    built = {}
    for target in ("duckdb", "spark"):
        folder = tmp_path_factory.mktemp(target)
        environment = {"MESH_SPARK_DIR": str(folder / "spark"), KEY_VARIABLE: "spark-tests-masking-key-0123456789"}
        built[target] = build_in_child(copy_project(folder / "mesh"), target, environment)
        print(f"{target}: build from scratch, nightly, analytics read after each: {built[target]['seconds']:.0f} s")
    return built


@pytest.mark.spark
@pytest.mark.parametrize("run", ["full", "nightly"])
def test_the_whole_mesh_builds_on_spark_with_its_contracts_and_tests(engines, run):
    duckdb, spark = engines["duckdb"][run], engines["spark"][run]
    assert duckdb["failures"] == [] and spark["failures"] == []
    assert spark["nodes"] == duckdb["nodes"] > 0  # seeds, models and data tests


@pytest.mark.spark
@pytest.mark.parametrize("run", ["full", "nightly"])
def test_spark_gives_the_analytics_products_duckdb_gives(engines, run):
    duckdb, spark = engines["duckdb"]["full"]["products"], engines["spark"][run]["products"]
    assert set(duckdb) == ANALYTICS
    assert all(product["rows"] for product in duckdb.values())
    assert differences(duckdb, spark) == []


def products(*rows: list, columns=("id", "amount")) -> dict[str, dict]:
    return {"funnel.v1": {"columns": list(columns), "rows": [list(row) for row in rows]}}


def test_a_row_that_differs_is_reported_on_both_sides():
    found = differences(products(["a", "1.0000"], ["b", "2.0000"]), products(["a", "1.0000"], ["b", "2.0001"]))
    assert found == ["funnel.v1: row only on duckdb: ['b', '2.0000']",
                     "funnel.v1: row only on spark: ['b', '2.0001']"]


def test_a_missing_or_repeated_row_is_reported():
    assert differences(products(["a", "1"], ["a", "1"]), products(["a", "1"])) == [
        "funnel.v1: row only on duckdb: ['a', '1']"]
    assert differences(products(["a", "1"]), products()) == ["funnel.v1: row only on duckdb: ['a', '1']"]


def test_a_missing_product_or_other_columns_are_reported():
    assert differences(products(), {}) == ["funnel.v1: only on duckdb"]
    assert differences(products(), products(columns=("amount", "id"))) == [
        "funnel.v1: columns on duckdb ['id', 'amount'], on spark ['amount', 'id']"]


def test_rows_are_compared_as_sets_and_values_as_each_engine_returns_them():
    assert differences(products(["a", "1"], ["b", "2"]), products(["b", "2"], ["a", "1"])) == []
    assert normalise(Decimal("0.50")) == normalise(0.5) == normalise(0.50004) == "0.5000"
    assert normalise(3) == "3.0000" and normalise(None) is None
    assert normalise(date(2025, 1, 1)) == "2025-01-01"
    assert normalise(Decimal("0.1234")) != normalise(Decimal("0.1235"))
