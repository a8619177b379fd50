"""Benchmark: `mesh quality`'s Great Expectations validation against one hand-written SQL query (the floor).

    .venv/bin/python bench/quality_vs_sql.py [--rows 5000000] [--repeat 3]

A product table of ROWS rows in a temporary DuckDB file; six checks: key not null and unique, a value
range, an allowed set, a cross-column rule, a row count. The same validation code as `mesh quality`
(persistent connection, one suite, evaluated in DuckDB) against one SQL query computing all six counts.
Setup (GX import, datasource, batch) is excluded; medians of REPEAT runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import duckdb

CHECKS_SQL = """
select
    count(*) filter (where advance_id is null) as null_keys,
    count(*) - count(distinct advance_id) as duplicate_keys,
    count(*) filter (where factor_rate not between 1.0 and 1.5) as factor_out_of_range,
    count(*) filter (where status not in ('current', 'in_arrears', 'repaid')) as unknown_status,
    count(*) filter (where total_repayable < cumulative_repaid) as over_repaid,
    count(*) as row_count
from bench.product_v1
"""


def make_table(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema bench")
        connection.execute(f"""
            create table bench.product_v1 as
            select
                'ADV' || lpad(cast(i as varchar), 9, '0') as advance_id,
                cast(1.0 + (i % 50) / 100.0 as decimal(4, 2)) as factor_rate,
                cast(1000 + i % 90000 as decimal(12, 2)) as total_repayable,
                cast((1000 + i % 90000) * ((i % 7) / 7.0) as decimal(12, 2)) as cumulative_repaid,
                ['current', 'in_arrears', 'repaid'][1 + i % 3] as status
            from range({rows}) as t(i)""")


def specs():
    from mesh_platform.quality.suites import ExpectationSpec

    return [
        ExpectationSpec("expect_column_values_to_not_be_null", {"column": "advance_id"}),
        ExpectationSpec("expect_column_values_to_be_unique", {"column": "advance_id"}),
        ExpectationSpec("expect_column_values_to_be_between", {"column": "factor_rate", "min_value": 1.0,
                                                               "max_value": 1.5}),
        ExpectationSpec("expect_column_values_to_be_in_set", {"column": "status",
                                                              "value_set": ["current", "in_arrears", "repaid"]}),
        ExpectationSpec("expect_column_pair_values_a_to_be_greater_than_b",
                        {"column_A": "total_repayable", "column_B": "cumulative_repaid", "or_equal": True}),
        ExpectationSpec("expect_table_row_count_to_be_between", {"min_value": 1}),
    ]


def time_gx(path: Path, repeat: int) -> tuple[float, bool]:
    warnings.filterwarnings("ignore")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from mesh_platform.quality import gx_duckdb  # noqa: F401
    from mesh_platform.quality.suites import build

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_mesh_duckdb(name="bench", connection_string=f"duckdb:///{path}")
    batch = datasource.add_query_asset(name="product", query="select * from bench.product_v1") \
        .add_batch_definition_whole_table("whole table").get_batch()
    suite = gx.ExpectationSuite(name="product", expectations=[build(spec) for spec in specs()])
    times, success = [], False
    for _ in range(repeat):
        start = time.perf_counter()
        result = batch.validate(suite)
        times.append(time.perf_counter() - start)
        success = result.success
    datasource.get_execution_engine().release()
    return statistics.median(times), success


def time_sql(path: Path, repeat: int) -> float:
    times = []
    with duckdb.connect(str(path), read_only=True) as connection:
        for _ in range(repeat):
            start = time.perf_counter()
            connection.execute(CHECKS_SQL).fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mesh-quality-bench-") as tmp:
        path = Path(tmp) / "warehouse.duckdb"
        make_table(path, args.rows)
        sql_seconds = time_sql(path, args.repeat)
        gx_seconds, success = time_gx(path, args.repeat)
    print("| rows | checks | one SQL query (s) | mesh quality, GX (s) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {args.rows:,} | {len(specs())} | {sql_seconds:.2f} | {gx_seconds:.2f} | {gx_seconds / sql_seconds:.1f} |")
    if not success:
        print("(the GX suite did not pass: the table is built to pass every check)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
