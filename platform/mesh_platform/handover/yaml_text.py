"""Surgical edits of dbt YAML files, done on the text: cut one list entry out of a section (`models:`,
`sources:`), or add one; every byte outside that entry stays as it was (comments, order, formatting).
ruamel.yaml only tells where each entry starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..errors import MeshError


@dataclass(frozen=True)
class Span:
    start: int  # first line of the entry (its `- ` line)
    end: int  # one past its last content line
    dash: int  # column of its `-`


def parse(text: str, label: str) -> Any:
    """The file's data, read as dbt reads it: a key repeated in one mapping is not an error (dbt's YAML reader
    keeps the last one; large projects have such slips that dbt never reported)."""
    loader = YAML()
    loader.allow_duplicate_keys = True
    try:
        return loader.load(text) or {}
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise MeshError(f"{label} is not valid YAML{where}; fix it first, nothing was changed") from None


def entry_names(text: str, section: str, label: str) -> list[str]:
    items = parse(text, label).get(section) or []
    return [str(item.get("name")) for item in items if hasattr(item, "get")]


def find_entry(text: str, section: str, name: str, label: str) -> Span | None:
    items: Any = parse(text, label).get(section) or []  # ruamel's CommentedSeq: it knows each item's line
    return _item_span(items, name, text.splitlines(keepends=True))


def _item_span(items: Any, name: str, lines: list[str]) -> Span | None:
    """The lines of the item of `items` (a sequence ruamel read from `lines`) named `name`."""
    for index, item in enumerate(items):
        if hasattr(item, "get") and str(item.get("name")) == name:
            start = items.lc.item(index)[0]
            while start > 0 and not lines[start].lstrip().startswith("-"):
                start -= 1  # an entry whose first key sits on the line after a lone `-`
            dash = len(lines[start]) - len(lines[start].lstrip())
            if index + 1 < len(items):
                limit = items.lc.item(index + 1)[0]
                while limit > start and not lines[limit].lstrip().startswith("-"):
                    limit -= 1
            else:
                limit = next((j for j in range(start + 1, len(lines)) if _content(lines[j])
                              and _indent(lines[j]) <= dash and not lines[j].lstrip().startswith("-")), len(lines))
            end = limit
            while end > start + 1 and not _content(lines[end - 1]):
                end -= 1  # blank lines and comments before the next entry stay in the file
            return Span(start, end, dash)
    return None


def split_tables(entry: list[str], names: set[str], label: str) -> tuple[list[str], list[str]]:
    """A source's entry (its lines, as cut_entry gives them) as two: with only the `tables:` items named
    `names`, and without them; every other line in both as it was. Each table takes along the blank lines
    that set it apart from the next one."""
    owners, _ = _tables_of(entry, label)
    unknown = names - set(owners.values())
    if unknown:
        raise MeshError(f"{label} has no table named {', '.join(sorted(unknown))} in source {_name(entry, label)}")
    return ([line for index, line in enumerate(entry) if index not in owners or owners[index] in names],
            [line for index, line in enumerate(entry) if owners.get(index) not in names])


def merge_tables(text: str, entry: list[str], label: str) -> str | None:
    """`text` with the tables of the source `entry` added after the tables of its entry of the same name, when
    that one declares the same other keys (schema, database, ...); None when it has no such entry."""
    span = find_entry(text, "sources", _name(entry, label), label)
    if span is None:
        return None
    lines = text.splitlines(keepends=True)
    theirs = lines[span.start:span.end]
    (their_tables, their_dash), (our_tables, our_dash) = _tables_of(theirs, label), _tables_of(entry, label)
    head = [line for index, line in enumerate(theirs) if index not in their_tables]
    if not their_tables or reindent(head, span.dash, 0) != reindent(
            [line for index, line in enumerate(entry) if index not in our_tables], _indent(entry[0]), 0):
        return None
    after = span.start + max(their_tables) + 1
    while after > span.start and not lines[after - 1].strip():
        after -= 1  # after the last table's content, before the blank lines that end the entry
    added = reindent([line for index, line in enumerate(entry) if index in our_tables], our_dash, their_dash)
    while added and not added[-1].strip():
        added.pop()
    return "".join(lines[:after] + added + lines[after:])


def _name(entry: list[str], label: str) -> str:
    return entry_names("sources:\n" + "".join(reindent(entry, _indent(entry[0]), 2)), "sources", label)[0]


def _tables_of(entry: list[str], label: str) -> tuple[dict[int, str], int]:
    """Which line of a source's entry belongs to which of its tables (with the blank lines after it), and the
    column of the tables' `-`."""
    data: Any = parse("".join(reindent(entry, _indent(entry[0]), 0)), label)  # the entry alone: a one-item list
    tables: Any = data[0].get("tables") or []
    owners: dict[int, str] = {}
    dash = 0
    for table in tables:
        name = str(table.get("name")) if hasattr(table, "get") else ""
        span = _item_span(tables, name, entry)
        if span is None:
            continue
        end, dash = span.end, span.dash
        while end < len(entry) and not entry[end].strip():
            end += 1
        owners.update(dict.fromkeys(range(span.start, end), name))
    return owners, dash


def _entry(text: str, section: str, name: str, label: str) -> Span:
    span = find_entry(text, section, name, label)
    if span is None:
        raise MeshError(f"{label} has no {section} entry named '{name}'")
    return span


def cut_entry(text: str, section: str, name: str, label: str) -> tuple[str, list[str], int]:
    """The text without the entry, the entry's lines, and the column of its `-`."""
    span = _entry(text, section, name, label)
    lines = text.splitlines(keepends=True)
    start, end = span.start, span.end
    if start > 0 and not lines[start - 1].strip():  # the blank line(s) that set the entry apart go with it
        while start > 0 and not lines[start - 1].strip():
            start -= 1
    else:
        while end < len(lines) and not lines[end].strip():
            end += 1
    return "".join(lines[:start] + lines[end:]), lines[span.start:span.end], span.dash


def replace_entry(text: str, section: str, name: str, entry: list[str], label: str) -> str:
    """`text` with the entry's lines replaced by `entry`, in place."""
    span = _entry(text, section, name, label)
    lines = text.splitlines(keepends=True)
    return "".join(lines[:span.start] + entry + lines[span.end:])


def add_entry(text: str | None, section: str, entry: list[str], dash: int, label: str) -> str:
    """`text` (None: a new file) with the entry appended to `section`, re-indented to that section's entries."""
    if text is None:
        return f"version: 2\n\n{section}:\n" + "".join(reindent(entry, dash, 2))
    data = parse(text, label)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    items = data.get(section) or []
    if not items:
        keyed = next((i for i, line in enumerate(lines) if re.match(rf"{section}\s*:", line)), None)
        if keyed is None:
            return "".join(lines) + f"\n{section}:\n" + "".join(reindent(entry, dash, 2))
        lines[keyed] = f"{section}:\n"
        return "".join(lines[:keyed + 1] + reindent(entry, dash, 2) + lines[keyed + 1:])
    last = _entry(text, section, str(items[-1].get("name")), label)
    return "".join(lines[:last.end] + reindent(entry, dash, last.dash) + lines[last.end:])


def reindent(lines: list[str], old: int, new: int) -> list[str]:
    shift = new - old
    if shift >= 0:
        return [(" " * shift + line) if line.strip() else line for line in lines]
    return [line if not line.strip() else line[-shift:] if line[:-shift].strip() == "" else line.lstrip()
            for line in lines]  # a blank line stays one


def without_empty_section(text: str, section: str, label: str) -> str | None:
    """After a cut: None when the file holds no entry at all any more, else the text (an emptied
    section written as `[]`, since dbt refuses a bare key)."""
    data = parse(text, label)
    if not any(data.get(key) for key in ("models", "sources", "seeds", "snapshots", "analyses", "exposures",
                                         "macros", "semantic_models", "metrics", "saved_queries", "groups",
                                         "unit_tests", "data_tests")):
        return None
    if data.get(section) is not None or section not in data:
        return text
    return re.sub(rf"(?m)^{section}\s*:\s*$", f"{section}: []", text, count=1)


def rename_entry(entry: list[str], old: str, new: str) -> list[str]:
    return rename_key(entry, "name", old, new)


def rename_key(entry: list[str], key: str, old: str, new: str) -> list[str]:
    """The entry with the first `key: old` (e.g. `name:`, a unit test's `model:`) set to `new`."""
    pattern = re.compile(rf"^(\s*-?\s*{key}:\s*)(['\"]?){re.escape(old)}\2(\s*(#.*)?)$")
    renamed, done = [], False
    for line in entry:
        body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        match = None if done else pattern.match(body)
        if match:
            body, done = f"{match.group(1)}{match.group(2)}{new}{match.group(2)}{match.group(3)}", True
        renamed.append(body + newline)
    return renamed


def with_key(entry: list[str], dash: int, key: str, value: str) -> list[str]:
    """The entry with its own top-level `key:` set to `value` (replaced in place, or added after `name:`)."""
    own = re.compile(rf"^ {{{dash + 2}}}{key}\s*:.*$|^ {{{dash}}}- {key}\s*:.*$")
    lines = list(entry)
    for index, line in enumerate(lines):
        if own.match(line.rstrip("\n")):
            prefix = line[: line.index(key)]
            lines[index] = f"{prefix}{key}: {value}\n"
            return lines
    return lines[:1] + [" " * (dash + 2) + f"{key}: {value}\n"] + lines[1:]


def replace_group(entry: list[str], old: str, new: str) -> list[str]:
    pattern = re.compile(rf"^(\s*group:\s*)(['\"]?){re.escape(old)}\2(\s*(#.*)?)$")
    return [pattern.sub(rf"\g<1>\g<2>{new}\g<2>\g<3>", line.rstrip("\n")) + ("\n" if line.endswith("\n") else "")
            for line in entry]


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
