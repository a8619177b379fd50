"""The SQL dialect of a dbt adapter, as sqlglot and sqlfluff name it."""

from __future__ import annotations

# dbt adapter types whose SQL dialect sqlglot names otherwise (or does not know: read as its nearest)
SQLGLOT_DIALECTS = {"sqlserver": "tsql", "fabric": "tsql", "synapse": "tsql", "glue": "spark", "databricks":
                    "databricks", "redshift": "redshift", "bigquery": "bigquery", "snowflake": "snowflake",
                    "trino": "trino", "athena": "athena", "postgres": "postgres", "spark": "spark"}


def sqlglot_dialect(adapter_type: str) -> str | None:
    """The sqlglot dialect of a dbt adapter's SQL (None: sqlglot's own, for an adapter it has no dialect of)."""
    import sqlglot

    name = SQLGLOT_DIALECTS.get(adapter_type, adapter_type)
    try:
        sqlglot.Dialect.get_or_raise(name)
    except ValueError:
        return None
    return name


# dbt adapter types whose dialect sqlfluff names otherwise
SQLFLUFF_DIALECTS = {"spark": "sparksql", "glue": "sparksql", "sqlserver": "tsql", "fabric": "tsql",
                     "synapse": "tsql"}


def sqlfluff_dialect(adapter_type: str) -> str | None:
    """The sqlfluff dialect of a dbt adapter's SQL (None: sqlfluff has none of that name)."""
    from sqlfluff.core.dialects import load_raw_dialect

    name = SQLFLUFF_DIALECTS.get(adapter_type, adapter_type)
    try:
        load_raw_dialect(name)
    except KeyError:
        return None
    return name
