"""Which tables a compiled SQL statement reads, found with a real SQL parser (DuckDB's own, or sqlglot)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

# The tables a statement reads; None when no parser could read it (reported, never taken as "none").
Tables = frozenset[str] | None


def tables_read(sql: str, dialect: str) -> set[str] | None:
    """`schema.table` (or `table`) for every table the statement reads, CTEs and table functions excluded.

    DuckDB SQL is read by DuckDB's own parser (the warehouse's dialect, and fast); other dialects, and
    anything DuckDB's parser declines, by sqlglot. SQL neither can parse gives None, not a guess.
    """
    found = tables_read_all([sql], dialect)[sql]
    return None if found is None else set(found)


PARALLEL_MIN = 2_000  # statements; fewer are parsed sooner here than worker processes start


def tables_read_all(sqls: Iterable[str], dialect: str, workers: int | None = None) -> dict[str, Tables]:
    """tables_read of each statement; PARALLEL_MIN or more are parsed by `workers` processes (default: one per
    CPU), fewer here."""
    from .parse_workers import available_cpus, parse_in_workers

    unique = list(dict.fromkeys(sqls))
    workers = min(workers or available_cpus(), -(-len(unique) // PARALLEL_MIN))
    found = parse_in_workers(unique, dialect, workers, parse_statements) if workers > 1 else \
        parse_statements(unique, dialect)
    return dict(zip(unique, found, strict=False))


def parse_statements(sqls: list[str], dialect: str) -> list[Tables]:
    """The tables each statement reads, in order: DuckDB SQL with one parser connection for them all."""
    if dialect != "duckdb":
        return [_tables_read_by_sqlglot(sql, dialect) for sql in sqls]
    import duckdb  # imported here: a check whose SQL is all cached never needs it

    connection = duckdb.connect()
    try:
        return [_tables_read_by_duckdb(connection, sql) for sql in sqls]
    finally:
        connection.close()


def _tables_read_by_duckdb(connection, sql: str) -> Tables:
    import duckdb

    try:
        return frozenset(_schema_table(name) for name in connection.get_table_names(sql, qualified=True))
    except duckdb.Error:
        return _tables_read_by_sqlglot(sql, "duckdb")


ALIAS = re.compile(r'\s+AS\s+(?:"(?:[^"]|"")*"|[^\s"]+)$', re.IGNORECASE)
NAME_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def _schema_table(qualified_name: str) -> str:
    """DuckDB's `db.schema."Table" AS alias` -> `schema.table`."""
    name = ALIAS.sub("", qualified_name.strip())
    parts = [quoted.replace('""', '"') if quoted else bare for quoted, bare in NAME_PART.findall(name)]
    return ".".join(part.lower() for part in parts[-2:])


def _tables_read_by_sqlglot(sql: str, dialect: str) -> Tables:
    import sqlglot  # only for dialects DuckDB cannot read: it takes a while to import
    from sqlglot import exp

    from ..sql_dialect import sqlglot_dialect

    try:
        statements = sqlglot.parse(sql, read=sqlglot_dialect(dialect))
    except Exception:  # noqa: BLE001 - any dialect's SQL: whatever the parser raises, it could not read it
        return None
    found = set()
    for statement in filter(None, statements):
        ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
        for table in statement.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier):
                continue  # a table function such as generate_series(...)
            name = table.name.lower()
            if not table.db and name in ctes:
                continue
            found.add(f"{table.db.lower()}.{name}" if table.db else name)
    return frozenset(found)


def undeclared(tables: Iterable[str], allowed: Collection[str | None]) -> list[str]:
    """The tables (from tables_read) that are none of `allowed`; a bare name matches an allowed table's name."""
    strays = [table for table in tables if table not in allowed]
    if not strays:
        return []
    allowed_names = {key.rsplit(".", 1)[-1] for key in allowed if key}
    return sorted(table for table in strays if not ("." not in table and table in allowed_names))
