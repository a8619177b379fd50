"""Tables read by compiled SQL: DuckDB's parser and sqlglot agree, CTEs and table functions excluded."""

import os
from pathlib import Path

import pytest

from mesh_platform.check.parse_workers import parse_in_workers
from mesh_platform.check.sql_relations import (
    PARALLEL_MIN,
    _tables_read_by_sqlglot,
    parse_statements,
    tables_read,
    tables_read_all,
    undeclared,
)
from mesh_platform.manifest.nodes import relation_key

CASES = [
    ('select * from "mesh"."funding"."advances_v1" as advances', {"funding.advances_v1"}),
    ("select * from mesh.funding.advances_v1 a join main.some_table b on a.x = b.x", {"funding.advances_v1",
                                                                                     "main.some_table"}),
    ("with a as (select 1 as x), b as (select * from a) select * from b, other_t", {"other_t"}),
    ("with a as (with r as (select * from raw.t) select * from r) select * from a", {"raw.t"}),
    ("select * from generate_series(1, 10) as days", set()),
    ('select * from "My Schema"."Odd Name" as "x y"', {"my schema.odd name"}),
    ("select * from x where id in (select id from s.y)", {"x", "s.y"}),
]


@pytest.mark.parametrize("sql, expected", CASES)
def test_duckdb_and_sqlglot_read_the_same_tables(sql, expected):
    assert tables_read(sql, "duckdb") == expected
    assert _tables_read_by_sqlglot(sql, "duckdb") == expected


def test_undeclared_relations_are_those_outside_the_dependencies():
    allowed = {relation_key('"mesh"."funding"."advances_v1"')}
    sql = 'select * from "mesh"."funding"."advances_v1" a join main.some_table b on a.x = b.x'
    assert undeclared(tables_read(sql, "duckdb"), allowed) == ["main.some_table"]
    assert undeclared(tables_read('select * from "mesh"."funding"."advances_v1"', "duckdb"), allowed) == []
    assert undeclared(tables_read("select * from advances_v1", "duckdb"), allowed) == []  # search path, same table


@pytest.mark.parametrize("sql", ["select from from where", "select * from main.raw_orders wher id = 1 ("])
def test_sql_neither_parser_reads_is_unknown_not_empty(sql):
    assert tables_read(sql, "duckdb") is None


@pytest.mark.parametrize("dialect, sql, expected", [
    ("snowflake", "select id::varchar as id, parse_json(v):a::int from raw.events qualify row_number() over "
                  "(partition by id order by ts) = 1", {"raw.events"}),
    ("bigquery", "select * from `proj.ds.orders` where _partitiondate > '2024-01-01'", {"ds.orders"}),
    ("sqlserver", "select top 10 [id] from [dbo].[orders] with (nolock)", {"dbo.orders"}),
    ("redshift", "select * from raw.orders o join raw.items i on o.id = i.order_id", {"raw.orders", "raw.items"}),
    ("an_adapter_sqlglot_does_not_know", "select * from s.t", {"s.t"}),
])
def test_other_dialects_are_read_by_sqlglot_with_the_adapters_dialect(dialect, sql, expected):
    assert tables_read(sql, dialect) == expected


def test_sql_another_dialects_parser_cannot_read_is_unknown_not_a_crash():
    assert tables_read("select * from t where (((", "snowflake") is None
    assert tables_read("select 1 +", "bigquery") is None


def test_many_statements_share_one_parser_and_a_bad_one_spoils_none():
    sqls = ["select * from a.b", "select from from where", "select * from c", "select * from a.b"]
    assert tables_read_all(sqls, "duckdb") == {"select * from a.b": {"a.b"}, "select from from where": None,
                                               "select * from c": {"c"}}
    assert tables_read_all(sqls[:1], "postgres") == {"select * from a.b": {"a.b"}}


class ParsedHere:
    """parse_statements, counting the statements each call parses in this process."""

    def __init__(self):
        self.counts = []

    def __call__(self, sqls, dialect):
        self.counts.append(len(sqls))
        return parse_statements(sqls, dialect)


MANY = [f"with c as (select * from s{n % 7}.t{n}) select * from c join u{n} using (id)"
        for n in range(PARALLEL_MIN + 1)]


def test_many_statements_are_parsed_by_worker_processes_with_the_same_answers():
    expected = dict(zip(MANY, parse_statements(MANY, "duckdb"), strict=False))
    assert expected[MANY[8]] == {"s1.t8", "u8"}
    assert tables_read_all(MANY, "duckdb", workers=2) == expected
    parse_here = ParsedHere()
    assert parse_in_workers(MANY[:40], "postgres", 3, parse_here) == parse_statements(MANY[:40], "postgres")
    assert parse_here.counts == [14]  # a third here (40 dealt out round-robin), the rest by the two workers


@pytest.mark.parametrize("python", ["/bin/false", "/no/such/python"])
def test_a_worker_that_fails_costs_only_time(monkeypatch, python):
    monkeypatch.setattr("sys.executable", python)
    parse_here = ParsedHere()
    assert parse_in_workers(MANY[:30], "duckdb", 3, parse_here) == parse_statements(MANY[:30], "duckdb")
    assert parse_here.counts == [10, 10, 10]  # each worker's share parsed here instead


def test_an_interrupted_parse_stops_its_workers():
    def interrupted(sqls, dialect):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parse_in_workers(MANY, "duckdb", 3, interrupted)
    assert _parse_workers_running() == []


def _parse_workers_running() -> list[str]:
    """This process's children that are parse workers (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status, command = (entry / "status").read_text(), (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in status and b"parse_workers" in command:
            found.append(entry.name)
    return found
