"""The journal that keeps a changeset all or nothing even under `kill -9`: `.mesh-journal/` in its root.

Before the tree is touched the journal holds the new files (`new/`), a copy of every file that will be
replaced or removed (`old/`), and `journal.json`, written last and whole: what the apply creates (deleted on
rollback) and which files it restores. Without `journal.json` nothing in the tree has changed yet. When every
change is in place, `journal.json` is deleted first, then the rest. A `journal.json` found later is an apply
that was killed: the rollback deletes what it created and puts back what it replaced or removed; it is
idempotent, so a rollback that is killed itself is simply done again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import MeshError, one_line
from .files import write_atomically

JOURNAL_DIR = ".mesh-journal"
RECORD = "journal.json"
HELD = "MESH_JOURNAL_HELD"  # set for the processes a change runs while its journal is open (they must not undo it)
KILL_AFTER = "MESH_KILL_AFTER_STEPS"  # test-only hook (see Steps); never set it outside the tests


@dataclass(frozen=True)
class Record:
    command: str  # what was running, for the message that says it was rolled back
    created: list[str]  # paths (files or whole folders) that did not exist before: deleted on rollback
    restored: list[str]  # files that existed before (copied in old/): put back on rollback


class Steps:
    """Counts the file operations of one apply. Test-only: with MESH_KILL_AFTER_STEPS=N in the environment the
    process ends at once (os._exit, as a kill would) right after the Nth, to prove every point recoverable."""

    def __init__(self) -> None:
        raw = os.environ.get(KILL_AFTER, "")
        self.limit = int(raw) if raw.isdigit() else None
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.limit is not None and self.done >= self.limit:
            os._exit(137)


def begin(root: Path, record: Record, new_files: dict[str, bytes], steps: Steps) -> Path:
    """Write the journal (new files, copies of the old ones, then the record); the folder of the new files."""
    folder = root / JOURNAL_DIR
    folder.mkdir()
    for path, content in new_files.items():
        target = folder / "new" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        steps.step()
    for path in record.restored:
        backup = folder / "old" / path
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, backup)
        steps.step()
    write_atomically(folder / RECORD, json.dumps(asdict(record), indent=1))
    steps.step()
    return folder / "new"


def finish(root: Path, steps: Steps) -> None:
    """Every change is in place: the journal goes (its record first, so a kill now leaves nothing to undo)."""
    (root / JOURNAL_DIR / RECORD).unlink()
    steps.step()
    shutil.rmtree(root / JOURNAL_DIR, ignore_errors=True)


def roll_back(root: Path) -> Record | None:
    """Undo the unfinished apply journaled in `root`, if any (the record of what it was), and drop the journal."""
    folder = root / JOURNAL_DIR
    if not folder.exists():
        return None
    record = _read(folder / RECORD) if (folder / RECORD).exists() else None
    if record is not None:
        for path in record.created:
            target = root / path
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        for path in record.restored:
            backup = folder / "old" / path
            write_atomically(root / path, backup.read_bytes())
            shutil.copymode(backup, root / path)
        (folder / RECORD).unlink()
    shutil.rmtree(folder)
    return record


@contextlib.contextmanager
def held(root: Path) -> Iterator[None]:
    """While a change runs other mesh processes (`then`), they see its journal as the live one it is."""
    saved = os.environ.get(HELD)
    os.environ[HELD] = str(root.resolve())
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(HELD, None)
        else:
            os.environ[HELD] = saved


def recover(root: Path) -> None:
    """Roll back an apply that a kill left unfinished in `root`, and say so in one line (on stderr)."""
    if not (root / JOURNAL_DIR).exists() or os.environ.get(HELD) == str(root.resolve()):
        return
    record = roll_back(root)
    if record is None:
        print("mesh: removed the journal an interrupted change left behind; it had changed nothing in the tree, "
              "or all it meant to", file=sys.stderr)
    else:
        print(f"mesh: rolled back the unfinished `{record.command}` (it was stopped mid-way): {len(record.created)} "
              f"new paths removed, {len(record.restored)} files restored", file=sys.stderr)


def current_command() -> str:
    return one_line(" ".join(["mesh", *sys.argv[1:]]), 120)


def _read(path: Path) -> Record:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        record = Record(str(raw["command"]), [str(p) for p in raw["created"]], [str(p) for p in raw["restored"]])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise MeshError(f"cannot read the unfinished change's journal {path} ({one_line(error, 80)}); restore the "
                        f"tree from git and delete {path.parent}") from None
    outside = [p for p in record.created + record.restored if Path(p).is_absolute() or ".." in Path(p).parts]
    if outside:
        raise MeshError(f"the unfinished change's journal {path} names a path outside the project ({outside[0]}); "
                        f"restore the tree from git and delete {path.parent}")
    return record
