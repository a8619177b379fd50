"""The raw data at scale (`mesh demo-data`): the seeds' tables and types, a consistent story, deterministic."""

from pathlib import Path

import duckdb
import pytest
from conftest import WAREHOUSE

from mesh_platform.cli import main
from mesh_platform.demo_data.raw_folder import MARKER, generated_by
from mesh_platform.demo_data.raw_tables import RAW_TABLES, daily_tables
from mesh_platform.demo_data.scaled import generate_parquet


@pytest.fixture(scope="module")
def scale_one(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("scaled") / "raw"
    generate_parquet(raw, 1)
    return raw


def read(raw: Path, sql: str) -> list[tuple]:
    """Run `sql` with each raw table as a view named by its identifier."""
    with duckdb.connect() as connection:
        for table in RAW_TABLES:
            connection.execute(f"create view {table.identifier} as select * from "
                               f"read_parquet('{table.glob(raw)}', hive_partitioning = true)")
        return connection.sql(sql).fetchall()


def count(raw: Path, identifier: str) -> int:
    return read(raw, f"select count(*) from {identifier}")[0][0]


@pytest.mark.integration
def test_scale_one_has_every_seeded_table_with_the_seeds_columns_and_types(scale_one, built_mesh):
    root, _ = built_mesh
    with duckdb.connect(str(root / WAREHOUSE), read_only=True) as connection:
        seeded = {(schema, name): columns for schema, name, columns in connection.sql(
            "select table_schema, table_name, list((column_name, data_type) order by ordinal_position) "
            "from information_schema.columns where table_schema like 'raw_%' group by all").fetchall()}
        seeded_rows = {(table.schema, table.identifier): connection.sql(
            f"select count(*) from {table.schema}.{table.identifier}").fetchone()[0] for table in RAW_TABLES}
    assert sorted(seeded) == sorted((table.schema, table.identifier) for table in RAW_TABLES)
    for table in RAW_TABLES:
        written = read(scale_one, f"describe {table.identifier}")
        assert [(name, kind) for name, kind, *_ in written] == list(seeded[(table.schema, table.identifier)])
        assert list(table.columns) == [tuple(column) for column in seeded[(table.schema, table.identifier)]]
        seeds = seeded_rows[(table.schema, table.identifier)]
        assert seeds / 2 <= count(scale_one, table.identifier) <= seeds * 2, table.identifier  # about the seeds


def test_the_daily_facts_are_one_folder_per_day_the_rest_one_file(scale_one):
    takings = daily_tables()[0]
    assert {table.identifier for table in daily_tables()} == {"takings_feed__daily_takings", "servicing__repayments"}
    days = sorted(path.name for path in takings.folder(scale_one).iterdir())
    assert days[0] == "takings_date=2025-01-01" and days[-1] == "takings_date=2025-12-31" and len(days) == 365
    assert read(scale_one, f"select count(*) from read_parquet('{takings.glob(scale_one)}', filename = true) "
                           "where takings_date != cast(regexp_extract(filename, 'takings_date=([0-9-]+)', 1) as date)"
                           ) == [(0,)]
    for table in RAW_TABLES:
        if table.partition_by is None:
            assert [path.name for path in table.folder(scale_one).iterdir()] == ["data.parquet"]


def test_the_story_holds_together(scale_one):
    assert read(scale_one, """
        select count(*) from origination__applications as a
        left join partner_portal__referrals as r using (referral_id)
        where r.merchant_id is distinct from a.merchant_id or a.submitted_at < cast(r.referred_at as date)""") == [(0,)]
    assert read(scale_one, """
        select count(*) filter (where (d.outcome = 'approved') != (d.advance_amount is not null)),
               count(*) filter (where (d.outcome = 'declined') != (d.decline_reason is not null)),
               count(distinct d.outcome)
        from origination__applications as a
        full join decision_engine__risk_decisions as d using (application_id)""") == [(0, 0, 2)]
    assert read(scale_one, """
        select count(*) from disbursements__advances as f
        left join decision_engine__risk_decisions as d using (decision_id)
        where d.outcome is distinct from 'approved' or f.funded_amount != d.advance_amount
            or f.funded_at <= d.decided_at""") == [(0,)]
    # collections takes the holdback share of the day's takings until amount x factor is repaid, as the ledger says
    assert read(scale_one, """
        select count(*) from servicing__repayments as p inner join disbursements__advances as f using (advance_id)
        where p.amount <= 0 or p.amount > p.card_takings_amount * f.holdback_rate + 0.005000001
            or p.collected_on <= cast(f.funded_at as date)""") == [(0,)]
    assert read(scale_one, """
        select count(*) filter (where l.total_repayable != round(f.funded_amount * f.factor_rate, 2)
                                   or round(l.total_repaid, 2) != round(coalesce(p.repaid, 0), 2)
                                   or l.total_repaid > l.total_repayable),
               count(*) filter (where l.outstanding_balance = 0) between 1 and count(*) - 1
        from servicing__ledger_balances as l
        inner join disbursements__advances as f using (advance_id)
        left join (select advance_id, sum(amount) as repaid from servicing__repayments group by all) as p
            using (advance_id)""") == [(0, True)]
    # the CRM keeps corrected versions; partners re-send some days' files
    assert read(scale_one, "select count(*) > count(distinct merchant_id) from crm__merchants") == [(True,)]
    assert read(scale_one, "select count(*) > count(distinct (merchant_id, takings_date)) "
                           "from takings_feed__daily_takings") == [(True,)]


def test_the_same_seed_gives_the_same_rows_and_scale_multiplies_them(scale_one, tmp_path):
    again, other, double = tmp_path / "again", tmp_path / "other", tmp_path / "double"
    generate_parquet(again, 1)
    generate_parquet(other, 1, seed=7)
    generate_parquet(double, 2)
    for table in RAW_TABLES:
        first, second = f"read_parquet('{table.glob(scale_one)}')", f"read_parquet('{table.glob(again)}')"
        with duckdb.connect() as connection:
            differing = connection.sql(
                f"select count(*) from ((select * from {first} except all select * from {second}) "
                f"union all (select * from {second} except all select * from {first}))").fetchone()[0]
        assert differing == 0, table.identifier
    assert read(scale_one, "select sum(gross_amount) from takings_feed__daily_takings") != \
        read(other, "select sum(gross_amount) from takings_feed__daily_takings")
    assert count(double, "partner_portal__referrals") == 2 * count(scale_one, "partner_portal__referrals") == 800
    takings = count(scale_one, "takings_feed__daily_takings")
    assert takings >= 100_000 and 1.8 * takings <= count(double, "takings_feed__daily_takings") <= 2.2 * takings


@pytest.mark.integration
def test_mesh_demo_data_writes_a_folder_it_may_later_replace_and_refuses_others(tmp_path, capsys):
    out = tmp_path / "raw"
    assert main(["demo-data", "--scale", "1", "--out", str(out), "--project-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "raw_partners/takings_feed__daily_takings" in printed and f"MESH_RAW_DATA_PATH={out}" in printed
    marker = generated_by(out)
    assert marker["scale"] == 1 and marker["tables"]["raw_partners/partner_portal__referrals"] == 400
    (out / "raw_funding" / "stale.txt").write_text("from an earlier run")
    assert main(["demo-data", "--out", str(out), "--seed", "7", "--quiet", "--project-dir", str(tmp_path)]) == 0
    assert generated_by(out)["seed"] == 7 and not (out / "raw_funding" / "stale.txt").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["raw"]  # nothing left beside it
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "keep.md").write_text("mine")
    assert main(["demo-data", "--out", str(foreign), "--project-dir", str(tmp_path)]) == 2
    assert "was not written by `mesh demo-data`" in capsys.readouterr().err
    assert [path.name for path in foreign.iterdir()] == ["keep.md"] and not (foreign / MARKER).exists()
    with pytest.raises(SystemExit):
        main(["demo-data", "--scale", "0", "--out", str(out)])
    assert "expected a whole number, at least 1, not '0'" in capsys.readouterr().err
