"""All the files one command writes, applied together or not at all.

New files are written into a journal inside the project (journal.py), then moved into place (a whole new
folder in one rename); changed files are replaced atomically. Any failure, an interruption included,
undoes what was moved, so the tree is left as it was; a kill (nothing can run then) leaves the journal,
and the next mesh command that opens the project rolls it back.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from . import journal
from .errors import MeshError

T = TypeVar("T")

@dataclass
class Changeset:
    root: Path
    created: dict[str, str] = field(default_factory=dict)  # relative path -> content; must not exist yet
    replaced: dict[str, str] = field(default_factory=dict)  # relative path -> new content (created if missing)
    removed: set[str] = field(default_factory=set)  # relative paths of files to delete (a move: create + remove)
    _inverse: Changeset | None = field(default=None, init=False, repr=False)  # what revert() applies

    def create(self, path: str, content: str) -> None:
        self.created[path] = content

    def replace(self, path: str, content: str) -> None:
        self.replaced[path] = content

    def remove(self, path: str) -> None:
        self.removed.add(path)

    def paths(self) -> list[str]:
        return sorted({*self.created, *self.replaced, *self.removed})

    def rooted_at(self, root: Path) -> Changeset:
        """The same changes in a changeset rooted at `root`, a folder at or above this one's root (e.g. the git
        repository's, to write its .github/ too): every path prefixed with this root's place under it."""
        inside = self.root.resolve().relative_to(root.resolve()).as_posix()
        if inside == ".":
            return self
        return Changeset(root, {f"{inside}/{path}": text for path, text in self.created.items()},
                         {f"{inside}/{path}": text for path, text in self.replaced.items()},
                         {f"{inside}/{path}" for path in self.removed})

    def makes_folder(self, folder: str) -> bool:
        """Whether `folder` (relative to the root) is there once the changeset is applied."""
        inside = f"{folder.rstrip('/')}/"
        if any(path.startswith(inside) for path in {*self.created, *self.replaced}):
            return True
        there = self.root / folder
        return there.is_dir() and any(str(path.relative_to(self.root)) not in self.removed
                                      for path in there.rglob("*") if path.is_file())

    def verb(self, path: str) -> str:
        return "created" if path in self.created else "removed" if path in self.removed else "updated"

    def describe(self) -> str:
        """What --dry-run prints: every file with its content (a removed file with its path only)."""
        parts = []
        for path in self.paths():
            if path in self.removed:
                parts.append(f"--- remove {path}\n")
                continue
            verb = "create" if path in self.created else "update"
            content = self.created.get(path, self.replaced.get(path, ""))
            parts.append(f"--- {verb} {path}\n{content}" + ("" if content.endswith("\n") else "\n"))
        return "\n".join(parts)

    def apply(self, then: Callable[[], T] | None = None) -> T | None:
        """Write every change, all or nothing (journaled); `then` runs with the changes in place and before the
        journal is closed, so a failure or a kill in it undoes them too. Its result is returned."""
        journal.recover(self.root)  # an earlier apply here that was killed goes first
        clashes = [path for path in self.created if (self.root / path).exists()]
        if clashes:
            raise MeshError(f"{clashes[0]} already exists; nothing was written (mesh never overwrites a file)")
        existing = sorted(path for path in {*self.replaced, *self.removed} if (self.root / path).is_file())
        fresh = self._new_tops([*self.created, *(path for path in self.replaced if path not in existing)])
        originals = {path: (self.root / path).read_bytes() for path in existing}
        steps = journal.Steps()
        record = journal.Record(journal.current_command(), fresh, existing)
        try:
            staging = journal.begin(self.root, record, {path: content.encode("utf-8", "surrogateescape")
                                                        for path, content in {**self.created, **self.replaced}.items()},
                                    steps)
            for top in self._new_tops(list(self.created)):
                os.replace(staging / top, self.root / top)
                steps.step()
            for path in self.replaced:
                target = self.root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / path, target)
                steps.step()
            for path in sorted(self.removed):
                target = self.root / path
                target.unlink()
                steps.step()
                self._prune_empty_folders(target.parent)
            with journal.held(self.root):
                result = then() if then is not None else None
            journal.finish(self.root, steps)
        except BaseException:
            journal.roll_back(self.root)
            raise
        self._inverse = self._inverse_of(originals)
        return result

    def revert(self) -> None:
        """Undo an applied changeset (e.g. when dbt refuses the result): the tree is as it was before."""
        if self._inverse is not None:
            self._inverse.apply()
            self._inverse = None

    def _inverse_of(self, originals: dict[str, bytes]) -> Changeset:
        """The changeset that puts back what this one changed: the old files, and the new ones removed."""
        inverse = Changeset(self.root)
        for path, content in originals.items():
            inverse.replace(path, content.decode("utf-8", "surrogateescape"))
        for path in [*self.created, *self.replaced]:
            if path not in originals:
                inverse.remove(path)
        return inverse

    def _new_tops(self, paths: list[str]) -> list[str]:
        """The outermost new folder or file of each path (what one rename moves into place)."""
        tops = set()
        for path in paths:
            parts = PurePosixPath(path).parts
            for depth in range(1, len(parts) + 1):
                candidate = PurePosixPath(*parts[:depth])
                if not (self.root / candidate).exists():
                    tops.add(str(candidate))
                    break
        return sorted(tops)

    def _prune_empty_folders(self, folder: Path) -> None:
        """Remove the folders a removal left empty, up to (not including) the project root."""
        while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
