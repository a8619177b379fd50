"""Doc blocks (`{% docs name %}` in a `.md` file) that the moved YAML entries use through `doc('name')`: a file
of the old domain whose every block only moved entries use moves with them; one that others use too stays
and is reported."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..manifest.domains import placement

DOC_CALL = re.compile(r"""\bdoc\(\s*['"](\w+)['"]\s*\)""")
DOC_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}")


@dataclass
class DocMoves:
    files: list[str] = field(default_factory=list)  # .md files that move (relative paths)
    warnings: list[str] = field(default_factory=list)


def doc_moves(root: Path, moved_entries: Iterable[str], from_domains: set[str], to: str) -> DocMoves:
    """Which doc files move with the entries (their YAML text), and a warning for each block that stays."""
    moved_uses: dict[str, int] = {}
    for text in moved_entries:
        for name in DOC_CALL.findall(text):
            moved_uses[name] = moved_uses.get(name, 0) + 1
    found = DocMoves()
    if not moved_uses:
        return found
    all_uses: dict[str, int] = {}
    for path in (root / "models").rglob("*.yml"):
        for name in DOC_CALL.findall(path.read_text(encoding="utf-8")):
            all_uses[name] = all_uses.get(name, 0) + 1
    for path in sorted((root / "models").rglob("*.md")):
        relative = str(path.relative_to(root))
        blocks = DOC_BLOCK.findall(path.read_text(encoding="utf-8"))
        used = [name for name in blocks if name in moved_uses]
        if not used:
            continue
        shared = [name for name in blocks if all_uses.get(name, 0) > moved_uses.get(name, 0)]
        domain = placement(relative).folder
        if domain == to:
            continue
        if domain in from_domains and not shared:
            found.files.append(relative)
        else:
            why = "models that stay use it too" if shared else "it is outside the folder of the domain they leave"
            found.warnings.append(f"doc {', '.join(used)} ({relative}) stays where it is: {why}")
    return found
