"""All the files one command writes, applied together or not at all.

New files are written into a temporary folder inside the project, then moved into place (a whole new
folder in one rename); changed files are replaced atomically. Any failure, an interruption included,
undoes what was moved, so the tree is left as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import MeshError


@dataclass
class Changeset:
    root: Path
    created: dict[str, str] = field(default_factory=dict)  # relative path -> content; must not exist yet
    replaced: dict[str, str] = field(default_factory=dict)  # relative path -> new content (created if missing)
    removed: set[str] = field(default_factory=set)  # relative paths of files to delete (a move: create + remove)

    def create(self, path: str, content: str) -> None:
        self.created[path] = content

    def replace(self, path: str, content: str) -> None:
        self.replaced[path] = content

    def remove(self, path: str) -> None:
        self.removed.add(path)

    def paths(self) -> list[str]:
        return sorted({*self.created, *self.replaced, *self.removed})

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

    def apply(self) -> None:
        clashes = [path for path in self.created if (self.root / path).exists()]
        if clashes:
            raise MeshError(f"{clashes[0]} already exists; nothing was written (mesh never overwrites a file)")
        staging = Path(tempfile.mkdtemp(prefix=".mesh-new-", dir=self.root))
        moved: list[Path] = []
        originals: dict[Path, bytes | None] = {}
        try:
            for path, content in {**self.created, **self.replaced}.items():
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            for top in self._new_tops():
                os.replace(staging / top, self.root / top)
                moved.append(self.root / top)
            for path in self.replaced:
                target = self.root / path
                originals[target] = target.read_bytes() if target.exists() else None
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / path, target)
            for path in sorted(self.removed):
                target = self.root / path
                originals[target] = target.read_bytes()
                target.unlink()
                self._prune_empty_folders(target.parent)
        except BaseException:
            self._undo(moved, originals)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._applied = (moved, originals)

    def revert(self) -> None:
        """Undo an applied changeset (e.g. when dbt refuses the result): the tree is as it was before."""
        moved, originals = getattr(self, "_applied", ([], {}))
        self._undo(moved, originals)
        self._applied = ([], {})

    def _new_tops(self) -> list[str]:
        """The outermost new folder or file of each created path (what one rename moves into place)."""
        tops = set()
        for path in self.created:
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

    @staticmethod
    def _undo(moved: list[Path], originals: dict[Path, bytes | None]) -> None:
        for target, content in originals.items():
            if content is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        for target in reversed(moved):
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
