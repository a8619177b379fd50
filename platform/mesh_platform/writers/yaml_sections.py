"""A YAML file edited as a round trip, with the bytes of every top-level section the edit left alone.

A round-trip dump keeps comments and order, yet re-indents sequences and drops trailing spaces everywhere; a
section whose data did not change is therefore taken from the original text, byte for byte.
"""

from __future__ import annotations

import re

import yaml

TOP_LEVEL_KEY = re.compile(r"^(?![\s#\-]|\.\.\.|---)(?P<key>\"[^\"]*\"|'[^']*'|[^:\s][^:]*?)\s*:(\s|$)")


def sections(text: str) -> tuple[str, dict[str, str]]:
    """(what precedes the first key, {key: its section's text}): a section runs from its key's line to the line
    before the next top-level key (the comments and blank lines between them included)."""
    lines = text.splitlines(keepends=True)
    preamble, found, key = [], {}, None
    for line in lines:
        match = TOP_LEVEL_KEY.match(line)
        if match:
            key = match["key"].strip("\"'")
            found[key] = [line]
        elif key is None:
            preamble.append(line)
        else:
            found[key].append(line)
    return "".join(preamble), {name: "".join(section) for name, section in found.items()}


def keep_untouched_sections(original: str, edited: str) -> str:
    """`edited` with each top-level section whose data equals the original's replaced by the original's text."""
    try:
        before_head, before = sections(original)
        after_head, after = sections(edited)
        if yaml.safe_load(before_head or "{}") != yaml.safe_load(after_head or "{}"):
            return edited
        kept = [before[key] if key in before and _same(before[key], section) else section
                for key, section in after.items()]
    except yaml.YAMLError:  # a section that does not stand alone: the round trip's text, as it is
        return edited
    text = before_head + "".join(section if section.endswith("\n") or index == len(kept) - 1 else section + "\n"
                                 for index, section in enumerate(kept))
    return text if yaml.safe_load(text) == yaml.safe_load(edited) else edited


def _same(original: str, edited: str) -> bool:
    return yaml.safe_load(original) == yaml.safe_load(edited)
