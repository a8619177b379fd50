"""What users type, checked before anything is written: names, e-mail addresses, team handles, free text."""

from __future__ import annotations

import re
import unicodedata
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
    shown = _shown(name)
    if not NAME.fullmatch(name):
        raise MeshError(f"{kind} name '{shown}' is not allowed: use 2-41 characters, lowercase letters, digits "
                        f"and _, starting with a letter (e.g. 'customer_support')")
    if name in DBT_RESERVED or name in sql_reserved_words():
        raise MeshError(f"{kind} name '{name}' is a reserved word in SQL or dbt; choose another, e.g. '{name}s_data'")
    return name


def check_email(email: str) -> str:
    if not EMAIL.fullmatch(email):
        raise MeshError(f"e-mail '{_shown(email)}' is not a valid address; give the team's list, e.g. "
                        f"data-team@company.com")
    return email


def check_team_handle(handle: str) -> str:
    if not TEAM_HANDLE.fullmatch(handle):
        raise MeshError(f"team handle '{_shown(handle)}' is not like @org/team (the GitHub team that reviews "
                        f"the domain)")
    return handle


def check_text(what: str, text: str, limit: int = 2000, one_line: bool = False) -> str:
    """Free text: one line or more (`one_line`: exactly one), not empty, not absurdly long, and without
    control characters or the invisible ones that reorder or hide what a reviewer reads (bidi overrides)."""
    cleaned = text.strip()
    if not cleaned:
        raise MeshError(f"{what} is empty; say in a sentence what it is")
    if len(cleaned) > limit:
        raise MeshError(f"{what} is {len(cleaned)} characters; keep it under {limit}")
    allowed = "" if one_line else "\n\t"
    hidden = next((char for char in cleaned if char not in allowed and _hidden(char)), None)
    if hidden is not None:
        kind = "a line break" if hidden in "\r\n" else \
            f"the {'control' if unicodedata.category(hidden) == 'Cc' else 'invisible'} character U+{ord(hidden):04X}"
        raise MeshError(f"{what} contains {kind}; " + ("write it on one line" if one_line else
                                                       "write plain text") + " without it")
    return cleaned


def _shown(text: str) -> str:
    """Typed text as a message shows it: on one line (hidden characters as escapes), at most 50 characters."""
    text = text if len(text) <= 50 else text[:47] + "..."
    return "".join(char.encode("unicode_escape").decode("ascii") if _hidden(char) else char for char in text)


def _hidden(char: str) -> bool:
    """A control character (C0, C1), a bidi embedding/override/isolate, or a line or paragraph separator."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or "\u202a" <= char <= "\u202e" \
        or "\u2066" <= char <= "\u2069" or char in "\u200e\u200f\u061c"
