"""`mesh quality` with real Great Expectations on a real DuckDB warehouse: the reference passes, planted
bad rows make exactly the expected expectations fail, and every run is kept in the history table."""

import json

import duckdb
import pytest
from conftest import WAREHOUSE, execute

from mesh_platform.cli import main

pytestmark = pytest.mark.integration


def quality(capsys, root, *args) -> tuple[int, dict]:
    code = main(["quality", "--format", "json", "--project-dir", str(root), *args])
    return code, json.loads(capsys.readouterr().out)


def test_the_reference_mesh_passes_and_runs_are_kept(built_copy, capsys):
    code, report = quality(capsys, built_copy)
    assert code == 0 and len(report["results"]) >= 140
    assert {r["product"] for r in report["results"]} >= {"advances", "merchants", "funnel", "partner_performance"}
    assert {r["origin"] for r in report["results"]} == {"contract", "suite"}
    code, again = quality(capsys, built_copy, "--domain", "funding")
    assert code == 0 and {r["product"] for r in again["results"]} == {"advances"}
    with duckdb.connect(str(built_copy / WAREHOUSE), read_only=True) as connection:  # free after the run
        runs = connection.sql("select run_id, count(*), bool_and(success) from mesh_quality.history "
                              "group by run_id order by 2 desc").fetchall()
    assert [(count, ok) for _, count, ok in runs] == [(len(report["results"]), True), (len(again["results"]), True)]


def test_planted_bad_rows_fail_exactly_the_expected_expectations(built_copy, capsys):
    execute(built_copy, "update funding.advances_v1 set factor_rate = 2.0 where advance_id in ('ADV00001', 'ADV00002')")
    execute(built_copy, "update collections.advance_performance_daily_v1 set cumulative_repaid = total_repayable + 1 "
                        "where advance_day_id = "
                        "(select min(advance_day_id) from collections.advance_performance_daily_v1)")
    execute(built_copy, "create or replace table merchants.merchants_v1 as select * from merchants.merchants_v1 "
                        "union all (select * from merchants.merchants_v1 where merchant_id = 'M00001')")
    execute(built_copy, "update merchants.merchants_v1 set business_name = null where merchant_id = 'M00002'")
    execute(built_copy, "create or replace table partners.partners_v1 as select partner_id, partner_name, "
                        "partner_type, country_code, cast(onboarded_on as varchar) as onboarded_on "
                        "from partners.partners_v1")

    code, report = quality(capsys, built_copy)

    assert code == 1
    failed = sorted((r["product"], r["expectation"], r["kwargs"].get("column") or r["kwargs"].get("column_A"),
                     r["failing_rows"]) for r in report["results"] if not r["success"])
    assert failed == [
        ("advance_performance_daily", "expect_column_pair_values_a_to_be_greater_than_b", "total_repayable", 1),
        ("advances", "expect_column_values_to_be_between", "factor_rate", 2),
        ("merchants", "expect_column_values_to_be_unique", "merchant_id", 2),
        ("merchants", "expect_column_values_to_not_be_null", "business_name", 1),
        ("partners", "expect_column_types_to_match_contract", None, None),
    ]
    types = next(r for r in report["results"] if r["product"] == "partners" and not r["success"])
    assert types["observed"] == "onboarded_on: expected date, found VARCHAR"
    owners = {r["product"]: r["owner"] for r in report["results"] if not r["success"]}
    assert owners == {"advance_performance_daily": "@lender/collections", "advances": "@lender/funding",
                      "merchants": "@lender/customer", "partners": "@lender/partner-integrations"}


def test_the_table_names_each_failure_with_owner_and_failing_rows(built_copy, capsys):
    execute(built_copy, "update funding.advances_v1 set holdback_rate = 0.5 where advance_id = 'ADV00003'")
    assert main(["quality", "--product", "advances", "--project-dir", str(built_copy)]) == 1
    out = capsys.readouterr().out
    assert "advances" in out and "@lender/funding" in out and "holdback_rate" in out
    assert "1 failed" in out


@pytest.mark.parametrize("args, message", [
    (["--product", "nothing"], "unknown data product 'nothing'; the products are: advance_performance_daily"),
    (["--domain", "treasury"], "unknown domain 'treasury'"),
])
def test_bad_requests_exit_2(built_copy, capsys, args, message):
    assert main(["quality", "--project-dir", str(built_copy), *args]) == 2
    assert message in capsys.readouterr().err


def test_before_a_build_it_says_to_build(project_copy, capsys):
    assert main(["quality", "--project-dir", str(project_copy)]) == 2
    assert "build the mesh first" in capsys.readouterr().err


def test_the_suites_run_sandboxed_read_only_without_files_and_with_the_settings_locked(built_mesh, tmp_path):
    """Were SQL to reach GX's connection, it could not write, copy to a file, attach another or unlock that."""
    from sqlalchemy import create_engine, text

    from mesh_platform.quality.runner import SANDBOX

    engine = create_engine(f"duckdb:///{built_mesh[0] / WAREHOUSE}", connect_args=SANDBOX)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select count(*) from merchants.merchants_v1")).scalar() > 0
            for sql in (f"copy (select email from merchants.stg_crm__merchants) to '{tmp_path / 'out.csv'}'",
                        f"attach '{tmp_path / 'other.duckdb'}' as other",
                        "create table merchants.stolen as select 1 as x",
                        "set enable_external_access = true"):
                with pytest.raises(Exception, match="read-only|disabled|locked|external|Cannot"):
                    connection.execute(text(sql))
    finally:
        engine.dispose()
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()
