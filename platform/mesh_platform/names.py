"""What users type, checked before anything is written: names, e-mail addresses, team handles, free text."""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import MeshError

PLAIN_COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")  # a column name SQL needs no quotes for
NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
TEAM_HANDLE = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+$")
# Names dbt gives a meaning in Jinja or in its own configuration, which a model or domain must not shadow.
DBT_RESERVED = {"ref", "source", "config", "this", "model", "target", "var", "env_var", "adapter", "api",
                "builtins", "exceptions", "execute", "flags", "graph", "invocation_id", "log", "modules",
                "project_name", "return", "run_query", "schema", "selected_resources", "statement",
                "test", "tests", "data_tests", "seeds", "snapshots", "macros", "models", "sources", "exposures",
                "metrics", "groups", "analyses", "dbt", "mesh"}


@lru_cache(maxsize=1)
def sql_reserved_words() -> frozenset[str]:
    """DuckDB's reserved SQL keywords, from DuckDB itself."""
    import duckdb

    with duckdb.connect() as connection:
        rows = connection.sql("select keyword_name from duckdb_keywords() where keyword_category = 'reserved'")
        return frozenset(row[0].lower() for row in rows.fetchall())


def check_name(kind: str, name: str) -> str:
    """A domain, product or source name: a lowercase identifier that is not a reserved word."""
    shown = name if len(name) <= 50 else name[:47] + "..."
    if not NAME.match(name):
        raise MeshError(f"{kind} name '{shown}' is not allowed: use 2-41 characters, lowercase letters, digits "
                        f"and _, starting with a letter (e.g. 'customer_support')")
    if name in DBT_RESERVED or name in sql_reserved_words():
        raise MeshError(f"{kind} name '{name}' is a reserved word in SQL or dbt; choose another, e.g. '{name}s_data'")
    return name


def check_email(email: str) -> str:
    if not EMAIL.match(email):
        raise MeshError(f"e-mail '{email}' is not a valid address; give the team's list, e.g. data-team@company.com")
    return email


def check_team_handle(handle: str) -> str:
    if not TEAM_HANDLE.match(handle):
        raise MeshError(f"team handle '{handle}' is not like @org/team (the GitHub team that reviews the domain)")
    return handle


def check_text(what: str, text: str, limit: int = 2000) -> str:
    """Free text: one line or more, not empty, not absurdly long."""
    cleaned = text.strip()
    if not cleaned:
        raise MeshError(f"{what} is empty; say in a sentence what it is")
    if len(cleaned) > limit:
        raise MeshError(f"{what} is {len(cleaned)} characters; keep it under {limit}")
    return cleaned
