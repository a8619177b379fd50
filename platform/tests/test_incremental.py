"""The incremental data products: a nightly with one new day gives exactly the rows a full refresh gives."""

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import build, copy_project, dbt_test_statuses, execute

from mesh_platform.dbt_session import DbtSession
from mesh_platform.demo_data.raw_tables import daily_tables, raw_table
from mesh_platform.demo_data.scaled import generate_parquet
from mesh_platform.project import Project

INCREMENTAL = {"partners.merchant_daily_takings_v1": "takings_date", "collections.repayments_v1": "collected_on",
               "collections.advance_performance_daily_v1": "performance_date"}
LAST_DAY, DAY_BEFORE, CORRECTED_DAY = "2025-12-31", "2025-12-30", "2025-12-29"


def latest_days(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {str(connection.sql(f"select max({column}) from {product}").fetchone()[0])
                for product, column in INCREMENTAL.items()}


def run_sql(root: Path, model: str) -> str:
    return next((root / "target" / "run").rglob(f"{model}.sql")).read_text()


@pytest.mark.integration
def test_a_nightly_with_one_new_day_gives_what_a_full_refresh_gives(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "mesh")
    raw = tmp_path / "raw"
    generate_parquet(raw, 1)
    monkeypatch.setenv("MESH_RAW_DATA_PATH", str(raw))
    incremental, full = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"

    # night 1: the data up to the day before (the last day's folders are not there yet)
    aside = tmp_path / "aside"
    for table in daily_tables():
        shutil.move(table.day_folder(raw, LAST_DAY), aside / table.identifier)
    monkeypatch.setenv("MESH_AS_OF_DATE", DAY_BEFORE)
    monkeypatch.setenv("MESH_DUCKDB_PATH", str(incremental))
    result = DbtSession(Project(root)).invoke(["run"])  # models only: the ledger is struck on the last day
    assert result.success, result.exception
    assert latest_days(incremental) == {DAY_BEFORE}

    # night 2: the last day arrives, and a partner's corrected file for a day inside the lookback window
    for table in daily_tables():
        shutil.move(aside / table.identifier, table.day_folder(raw, LAST_DAY))
    takings = raw_table("takings_feed__daily_takings")
    corrected = takings.day_folder(raw, CORRECTED_DAY)
    with duckdb.connect() as connection:
        connection.execute(f"""
            copy (select * replace (gross_amount + 1 as gross_amount,
                                    cast('{LAST_DAY} 04:00:00' as timestamp) as received_at)
                  from read_parquet('{corrected}/*.parquet') order by merchant_id limit 5)
            to '{corrected}/resent.parquet' (format parquet)""")
    monkeypatch.delenv("MESH_AS_OF_DATE")
    assert build(root).ok  # every model and test
    assert "merge into" in run_sql(root, "merchant_daily_takings").lower()  # it did run incrementally
    assert latest_days(incremental) == {LAST_DAY}

    # a full refresh of the same data, in a new warehouse (its tests ran above)
    monkeypatch.setenv("MESH_DUCKDB_PATH", str(full))
    result = DbtSession(Project(root)).invoke(["run", "--full-refresh"])
    assert result.success, result.exception
    assert "merge into" not in run_sql(root, "merchant_daily_takings").lower()

    with duckdb.connect() as connection:
        connection.execute(f"attach '{incremental}' as incremental (read_only)")
        connection.execute(f"attach '{full}' as full_refresh (read_only)")
        for product in INCREMENTAL:
            rows = connection.sql(f"select count(*) from incremental.{product}").fetchone()[0]
            for first, second in (("incremental", "full_refresh"), ("full_refresh", "incremental")):
                only = connection.sql(f"select count(*) from (select * from {first}.{product} "
                                      f"except all select * from {second}.{product})").fetchone()[0]
                assert only == 0, f"{product}: {only} of {rows} rows only in the {first} build"
        assert connection.sql(f"""
            select count(*) from incremental.partners.merchant_daily_takings_v1 as product
            inner join read_parquet('{corrected}/resent.parquet') as resent
                on product.merchant_id = resent.merchant_id and product.takings_date = resent.takings_date
                and product.gross_amount = cast(resent.gross_amount as decimal(12, 2))""").fetchone()[0] == 5


@pytest.mark.integration
def test_the_nightly_test_window_tests_only_the_last_days_of_the_large_facts(built_copy, monkeypatch):
    root = built_copy
    not_null = "not_null_stg_takings_feed__daily_takings_merchant_id"
    execute(root, "insert into raw_partners.takings_feed__daily_takings by name "
                  "select null as merchant_id, 'P001' as partner_id, date '2025-06-02' as takings_date")
    assert dbt_test_statuses(root, "stg_takings_feed__daily_takings")[not_null] == "fail"  # every row: caught

    monkeypatch.setenv("MESH_TEST_WINDOW_DAYS", "4")  # June is outside the last four days
    statuses = dbt_test_statuses(root, "stg_takings_feed__daily_takings stg_servicing__ledger_balances")
    assert statuses[not_null] == "pass"
    compiled = next((root / "target" / "compiled").rglob(f"{not_null}.sql")).read_text()
    assert "takings_date >=" in compiled and "2025-12-31" in compiled
    ledger = next((root / "target" / "compiled").rglob("not_null_stg_servicing__ledger_balances_*.sql")).read_text()
    assert "dbt_subquery" not in ledger  # a model without a day_column is tested whole

    execute(root, "insert into raw_partners.takings_feed__daily_takings by name "
                  "select null as merchant_id, 'P001' as partner_id, date '2025-12-30' as takings_date")
    assert dbt_test_statuses(root, "stg_takings_feed__daily_takings")[not_null] == "fail"  # in the window
