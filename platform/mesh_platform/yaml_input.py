"""YAML that users write or import, read safely: bounded in size, no aliases (no "billion laughs"), dates that
are not dates kept as text, and typed into structs that refuse unknown keys, every mistake one line."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from .errors import MeshError

MAX_BYTES = 2_000_000  # a contract, a settings file or a quality suite is kilobytes; this is far past any
T = TypeVar("T")


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases, and with a malformed date (2027-13-45) left as the text it is."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here; write the values "
                                                          "out", event.start_mark)
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def parse_yaml(text: str, shown: str) -> Any:
    """The data of a YAML text (`shown` names it in messages); a mistake is one MeshError with the line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise MeshError(f"{shown} is over {MAX_BYTES // 1_000_000} MB; that is not a file for this")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or " ".join(str(error).split())
        raise MeshError(f"{shown}{at}: not valid YAML ({problem})") from None


def read_yaml(path: Path, shown: str) -> Any:
    """parse_yaml of a file, refused in one line when it is missing, unreadable, not UTF-8 or too big."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MeshError(f"{shown} is over {MAX_BYTES // 1_000_000} MB; that is not a file for this")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MeshError(f"{shown}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise MeshError(f"{shown}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    return parse_yaml(text, shown)


UNKNOWN = re.compile(r"Object contains unknown field `(?P<field>[^`]*)`")
MISSING = re.compile(r"Object missing required field `(?P<field>[^`]*)`")
AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
TYPE_WORDS = {"array": "a list", "object": "a mapping", "str": "text", "int": "a whole number", "float": "a number",
              "bool": "true or false", "null": "nothing", "date": "a date like 2027-06-30"}


def typed(data: Any, kind: type[T], where: str) -> T:
    """`data` as the struct `kind` (msgspec, unknown fields refused); a mistake is one MeshError naming the
    place (`mesh.yml waivers[0]: unknown key until (known: ...)`)."""
    try:
        return msgspec.convert(data, kind, strict=False)
    except msgspec.ValidationError as error:
        message = str(error)
        found = AT.search(message)
        path = found.group("path") if found else ""
        message = AT.sub("", message)
        place = where + (f" {path.lstrip('.')}" if path else "")
        unknown, missing = UNKNOWN.match(message), MISSING.match(message)
        if unknown:
            known = ", ".join(sorted(_fields_at(kind, path)))
            raise MeshError(f"{place}: unknown key {unknown['field']}" + (f" (known: {known})" if known else "")) \
                from None
        if missing:
            raise MeshError(f"{place}: missing {missing['field']}") from None
        message = re.sub(r"`([^`]*)`", _type_words, message)
        raise MeshError(f"{place}: {message[0].lower()}{message[1:]}") from None


def _type_words(match: re.Match) -> str:
    """msgspec's `array | null` as words: a list (an empty value is not worth saying)."""
    names = [name for name in match.group(1).split(" | ") if name != "null"] or ["null"]
    return " or ".join(TYPE_WORDS.get(name, name) for name in names)


def _fields_at(kind: Any, path: str) -> list[str]:
    """The field names of the struct found at `path` (`.waivers[0]`) under `kind`, [] when there is none."""
    for part in re.findall(r"\.(\w+)|\[[^\]]*\]", path):
        kind = _inner(kind, part)
        if kind is None:
            return []
    kind = _without_none(kind)
    return [field.encode_name for field in msgspec.structs.fields(kind)] if _is_struct(kind) else []


def _inner(kind: Any, field: str) -> Any:
    """The type one step down: a struct's field (`field`), else a list's item or a mapping's value."""
    kind = _without_none(kind)
    if field:
        match = next((f for f in msgspec.structs.fields(kind) if f.encode_name == field), None) \
            if _is_struct(kind) else None
        return _without_none(match.type) if match else None
    args = typing.get_args(kind)
    return _without_none(args[-1]) if args else None  # list[X] -> X, dict[str, X] -> X


def _without_none(kind: Any) -> Any:
    """`X | None` -> X."""
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    return args[0] if len(args) == 1 and type(None) in typing.get_args(kind) else kind


def _is_struct(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, msgspec.Struct)
