"""Contract enforcement: dbt refuses a product whose SQL no longer matches its contract."""

import pytest
from conftest import build, query

pytestmark = pytest.mark.integration


def test_a_type_change_is_refused_and_the_previous_table_keeps_its_rows(built_copy):
    before = query(built_copy, "select count(*), sum(funded_amount) from funding.advances_v1")[0]
    sql = built_copy / "models" / "funding" / "marts" / "advances.sql"
    sql.write_text(sql.read_text().replace("    funded_amount,",
                                           "    cast(funded_amount as varchar) as funded_amount,"))

    report = build(built_copy, select=["advances"])

    failed = {failure.name: failure.message for failure in report.failures}
    assert "advances.v1" in failed
    assert "contract" in failed["advances.v1"] and "funded_amount" in failed["advances.v1"]
    assert query(built_copy, "select count(*), sum(funded_amount) from funding.advances_v1")[0] == before
    assert query(built_copy, "select data_type from information_schema.columns where table_schema = 'funding' "
                             "and table_name = 'advances_v1' and column_name = 'funded_amount'") == [("DECIMAL(12,2)",)]


def test_the_unchanged_product_still_satisfies_its_contract(built_copy):
    report = build(built_copy, select=["advances"])
    assert report.ok
    assert [o.name for o in report.outcomes if o.resource_type == "model"] == ["advances.v1"]


def test_a_constraint_the_warehouse_enforces_rejects_bad_rows(built_copy):
    sql = built_copy / "models" / "funding" / "marts" / "advances.sql"
    sql.write_text(sql.read_text().replace("    funded_amount,", "    -funded_amount as funded_amount,"))

    report = build(built_copy, select=["advances"])

    assert [failure.name for failure in report.failures] == ["advances.v1"]
    assert "CHECK constraint" in report.failures[0].message
    assert query(built_copy, "select min(funded_amount) > 0 from funding.advances_v1") == [(True,)]
