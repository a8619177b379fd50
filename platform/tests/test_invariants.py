"""Business invariants of the reference data, checked on the built warehouse and by the mesh's own dbt tests.

Each dbt invariant test passes on the reference data and fails when a fault is planted in a copy.
"""

import pytest
from conftest import dbt_test_statuses, execute, query

pytestmark = pytest.mark.integration

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"


def raw_email_columns(root) -> list[str]:
    """Every text column of every published table (data products) holding something like an e-mail address."""
    columns = query(root, "select table_schema, table_name, column_name from information_schema.columns "
                          "where table_schema not like 'raw_%' and table_name like '%_v_' "
                          "and data_type = 'VARCHAR'")
    return [f"{schema}.{table}.{column}" for schema, table, column in columns
            if query(root, f"select count(*) from {schema}.{table} "
                           f"where regexp_matches({column}, '{EMAIL}')")[0][0]]


def test_repaid_never_exceeds_amount_times_factor(built_mesh):
    root, _ = built_mesh
    assert query(root, """
        select count(*) from funding.advances_v1 a
        join (select advance_id, sum(amount) repaid from collections.repayments_v1 group by 1) r using (advance_id)
        where r.repaid > a.funded_amount * a.factor_rate""") == [(0,)]


def test_repayments_add_up_to_the_ledger(built_mesh):
    root, _ = built_mesh
    assert query(root, """
        select count(*) from raw_collections.servicing__ledger_balances l
        full join (select advance_id, sum(amount) repaid from collections.repayments_v1 group by 1) r
          using (advance_id)
        where l.total_repaid is distinct from r.repaid""") == [(0,)]
    assert query(root, "select count(*) from collections.repayments_v1")[0][0] > 1000


def test_the_funnel_never_grows_from_one_stage_to_the_next(built_mesh):
    root, _ = built_mesh
    assert query(root, "select count(*) from analytics.funnel_v1 "
                       "where not (referrals >= applications and applications >= approvals "
                       "and approvals >= funded)") == [(0,)]
    totals = query(root, "select sum(referrals), sum(applications), sum(approvals), sum(funded) "
                         "from analytics.funnel_v1")[0]
    assert totals[0] > totals[1] > totals[2] > totals[3] > 0


def test_some_advances_are_in_arrears_and_some_repaid(built_mesh):
    root, _ = built_mesh
    statuses = dict(query(root, "select arrears_status, count(*) from collections.advance_performance_daily_v1 "
                                "where performance_date = date '2025-12-31' group by 1"))
    assert statuses["in_arrears"] > 0 and statuses["repaid"] > 0 and statuses["current"] > 0


def test_no_published_column_holds_a_raw_email_address(built_mesh):
    root, _ = built_mesh
    assert raw_email_columns(root) == []
    assert query(root, "select count(*) from raw_merchants.crm__merchants "
                       f"where regexp_matches(email, '{EMAIL}')")[0][0] > 0  # the raw data does hold them


def test_the_email_scan_finds_a_planted_address(built_copy):
    execute(built_copy, "update merchants.merchants_v1 set business_name = 'contact amira@corner.co.uk' "
                        "where merchant_id = 'M00001'")
    assert raw_email_columns(built_copy) == ["merchants.merchants_v1.business_name"]


INVARIANT_TESTS = ["assert_repaid_within_repayable", "assert_repayments_reconcile_to_ledger",
                   "assert_funnel_never_grows"]


def test_the_dbt_invariant_tests_pass_in_the_build(built_mesh):
    _, report = built_mesh
    statuses = {o.name: o.status for o in report.outcomes if o.resource_type == "test"}
    assert all(statuses[name] == "pass" for name in INVARIANT_TESTS)
    masked = [name for name in statuses if name.startswith("pii_masked_")]
    assert len(masked) == 4 and all(statuses[name] == "pass" for name in masked)


@pytest.mark.parametrize("select, fault, failing", [
    ("assert_repaid_within_repayable",
     "update funding.advances_v1 set total_repayable = 1 where advance_id = 'ADV00001'",
     "assert_repaid_within_repayable"),
    ("assert_repayments_reconcile_to_ledger",
     "delete from collections.repayments_v1 where repayment_id = (select max(repayment_id) "
     "from collections.repayments_v1)",
     "assert_repayments_reconcile_to_ledger"),
    ("assert_funnel_never_grows",
     "update analytics.funnel_v1 set funded = approvals + 1 where funnel_id = (select min(funnel_id) "
     "from analytics.funnel_v1)",
     "assert_funnel_never_grows"),
    ("merchants,test_name:pii_masked",
     "update merchants.merchants_v1 set email_hash = 'amira@cornergoods001.co.uk' where merchant_id = 'M00001'",
     "pii_masked_merchants_v1_email_hash"),
])
def test_each_invariant_test_catches_a_planted_fault(built_copy, select, fault, failing):
    assert set(dbt_test_statuses(built_copy, select).values()) == {"pass"}
    execute(built_copy, fault)
    statuses = dbt_test_statuses(built_copy, select)
    assert {name for name, status in statuses.items() if status == "fail"} == {failing}
