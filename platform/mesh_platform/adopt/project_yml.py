"""dbt_project.yml of an adopted project: the model folders' config nested under `legacy:`, with its group.

Edited as a round trip (ruamel): comments, order and formatting of everything else stay as they were;
full-line comments inside the moved config are indented with it. Project-wide `+` settings stay put.
"""

from __future__ import annotations

import re
from functools import partial
from io import StringIO
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from ..scaffold.project_files import _round_trip
from ..writers.yaml_sections import keep_untouched_sections

# Sections whose node paths follow the files' folders under models/ (a generic test's path is its YAML's).
FOLDER_SECTIONS = ("models", "data_tests", "tests", "unit_tests", "semantic-models", "saved-queries", "metrics",
                   "exposures")
TEST_SECTIONS = ("data_tests", "tests")  # their keys may also name folders of test-paths (singular tests)
INDENT = 2


def with_legacy_config(project_yml: str, moved: set[str], test_folders: set[str], domain: str,
                       grouped: tuple[str, ...] = ()) -> str:
    """dbt_project.yml with the config of `moved` (folders and model files directly under models/) nested
    under `<domain>:` in every section keyed by those paths; the models' `<domain>:` also gets `+group`, and
    each section of `grouped` (seeds, snapshots, tests: their files stay where they are) gets `+group`
    project-wide.

    A key that also names a folder of test-paths configures singular tests too: it is copied, not moved.
    Top-level sections the edit leaves alone keep their bytes (see keep_untouched_sections).
    """
    loader = _round_trip()
    data = loader.load(project_yml)
    project = str(data["name"])  # a plain key, whatever quotes the name has
    for section in FOLDER_SECTIONS:
        config = (data.get(section) or {}).get(project) if isinstance(data.get(section), dict) else None
        if section == "models" and not isinstance(config, dict):
            data.setdefault("models", CommentedMap())[project] = config = CommentedMap()
        if isinstance(config, dict):
            kept = test_folders if section in TEST_SECTIONS else set()
            _nest(config, moved, kept, domain, group=section == "models")
    for section in grouped:
        _group_project_wide(data, section, project, domain)
    out = StringIO()
    loader.dump(data, out)
    return keep_untouched_sections(project_yml, out.getvalue())


def _group_project_wide(data: CommentedMap, section: str, project: str, domain: str) -> None:
    """`<section>: <project>: +group: <domain>` first in the project's config of that section."""
    if not isinstance(data.get(section), dict):
        data[section] = CommentedMap()
    config = data[section].get(project)
    if not isinstance(config, dict):
        data[section][project] = config = CommentedMap()
    config.insert(0, "+group", domain)


def configured_keys(project_yml: str, section: str = "models") -> set[str]:
    """The keys under `<section>: <project>:` (folders, model names and `+` settings)."""
    data = _round_trip().load(project_yml) or {}
    config = (data.get(section) or {}).get(data.get("name")) if isinstance(data.get(section), dict) else None
    return set(config) if isinstance(config, dict) else set()


def has_group_config(project_yml: str) -> bool:
    """True when any section of dbt_project.yml sets `+group` (or a `group:` config)."""
    def walk(node) -> bool:
        if isinstance(node, dict):
            return any(key in ("+group", "group") or walk(value) for key, value in node.items())
        return isinstance(node, list) and any(walk(item) for item in node)

    data = _round_trip().load(project_yml) or {}
    return any(walk(data.get(section)) for section in (*FOLDER_SECTIONS, "seeds", "snapshots", "analyses"))


def _nest(config: Any, moved: set[str], kept: set[str], domain: str, group: bool) -> None:
    keys = [key for key in config if not str(key).startswith("+") and key in moved]
    if not keys and not group:
        return
    position = _index(config, keys[0]) if keys else _first_folder_position(config)
    key_column = config.lc.key(keys[0])[1] if keys else 0
    nested = CommentedMap([("+group", domain)] if group else [])
    for key in keys:
        copy = key in kept
        value = _deep_copy(config[key]) if copy else config[key]
        nested[key] = value
        if not copy:
            if key in config.ca.items:
                nested.ca.items[key] = config.ca.items.pop(key)
            del config[key]
    _indent_comments(nested, keys[-1] if keys else None, key_column)
    config.insert(position, domain, nested)


def _index(config: CommentedMap, key) -> int:
    return list(config).index(key)


def _first_folder_position(config: CommentedMap) -> int:
    """Where the nested key goes when nothing was left in place: after the project-wide `+` settings."""
    for index, key in enumerate(config):
        if not str(key).startswith("+"):
            return index
    return len(config)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        copy = CommentedMap((key, _deep_copy(item)) for key, item in value.items())
        style = getattr(value, "fa", None)
        if style is not None and style.flow_style():
            copy.fa.set_flow_style()
        return copy
    if isinstance(value, list):
        return CommentedSeq(_deep_copy(item) for item in value)
    return value


def _indent_comments(nested: CommentedMap, last_moved, key_column: int) -> None:
    """Indent the full-line comments that moved one level deeper, like the keys they sit above.

    The comment after the very last moved value also holds the lines above whatever follows the nested
    block: those (at the moved keys' column or left of it) keep their column.
    """
    trailing = _trailing_comment(nested, last_moved) if last_moved is not None else None
    for token in _comment_tokens(nested, set()):
        limit = key_column if token is trailing else -1
        token.value = re.sub(r"\n( *)#", partial(_indent_match, limit=limit), token.value)
        mark = getattr(token, "start_mark", None)
        if mark is not None and not token.value.startswith("\n"):  # an end-of-line comment: keep it aligned
            mark.column += INDENT


def _indented(spaces: str, limit: int) -> str:
    return f"\n{spaces}{' ' * INDENT}#" if len(spaces) > limit else f"\n{spaces}#"


def _comment_tokens(node, seen: set[int]):
    """Every comment token in the subtree, each once (a flow mapping's may also sit on its parent)."""
    if not isinstance(node, (dict, list)) or not hasattr(node, "ca"):
        return
    for entry in [node.ca.comment, *node.ca.items.values(), node.ca.end]:
        for token in _flatten(entry):
            if id(token) not in seen:
                seen.add(id(token))
                yield token
    for value in (node.values() if isinstance(node, dict) else node):
        yield from _comment_tokens(value, seen)


def _flatten(entry):
    if isinstance(entry, CommentToken):
        yield entry
    elif isinstance(entry, list):
        for item in entry:
            yield from _flatten(item)


def _indent_match(match: re.Match, limit: int) -> str:
    return _indented(match.group(1), limit)


def _trailing_comment(nested: Any, key: Any) -> Any:
    """The comment token after the deepest last value under `key` (the lines that follow the block)."""
    container, last = nested, key
    while True:
        value = container[last]
        if isinstance(value, (dict, list)) and len(value) and not _is_flow(value):
            container, last = value, (list(value)[-1] if isinstance(value, dict) else len(value) - 1)
            continue
        tokens = list(_flatten(container.ca.items.get(last)))
        return tokens[-1] if tokens else None


def _is_flow(value) -> bool:
    return getattr(value, "fa", None) is not None and value.fa.flow_style()
