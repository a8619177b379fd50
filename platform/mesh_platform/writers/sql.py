"""Names and values written into SQL the platform runs itself: quoted, so that text stays data."""

from __future__ import annotations


def identifier(name: str) -> str:
    """A quoted SQL identifier (`"my ""odd"" name"`), case kept."""
    return '"' + name.replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """`"schema"."table"`."""
    return ".".join(identifier(part) for part in parts)


def string_literal(text: str) -> str:
    """A SQL string literal (`'it''s'`), for the few places SQL takes no parameter (ATTACH, COPY)."""
    if "\x00" in text:
        raise ValueError("a NUL character cannot be written into SQL")
    return "'" + text.replace("'", "''") + "'"
