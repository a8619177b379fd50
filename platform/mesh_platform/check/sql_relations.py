"""Which tables a compiled SQL statement reads, found with a real SQL parser (sqlglot)."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError


def relation_key(relation_name: str | None) -> str | None:
    """`"db"."schema"."table"` -> `schema.table`, lower-cased: how relations are compared."""
    if not relation_name:
        return None
    parts = [part.strip('"`[] ').lower() for part in relation_name.split(".")]
    return ".".join(parts[-2:])


def tables_read(sql: str, dialect: str) -> set[str]:
    """`schema.table` (or `table`) for every table the statement reads, CTEs and table functions excluded.

    Unparseable SQL reads nothing we can name: it yields an empty set rather than a guess.
    """
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except SqlglotError:
        return set()
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
    return found


def undeclared_relations(sql: str, allowed: set[str | None], dialect: str) -> list[str]:
    """Tables the SQL reads that are none of `allowed` (keys from relation_key)."""
    allowed_names = {key.rsplit(".", 1)[-1] for key in allowed if key}
    return sorted(table for table in tables_read(sql, dialect)
                  if table not in allowed and not ("." not in table and table in allowed_names))
