"""The catalog's folder: a new site is written into `DIR.partial` beside it, swapped into place when complete
(the previous site moves to `DIR.old`, then goes), so a reader never sees half a site.

Every folder the catalog writes carries its marker file from the start, and the catalog replaces or removes
only folders that carry it: a `DIR`, `DIR.partial` or `DIR.old` that it did not write is refused in one line
before anything changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..errors import MeshError
from ..files import write_atomically

MARKER = ".mesh-catalog"
GENERATOR = "mesh catalog"


def write_marker(folder: Path, project: str, generated_at: str) -> bytes:
    """Mark `folder` as the catalog's own; the marker's bytes."""
    data = (json.dumps({"generator": GENERATOR, "project": project, "generated_at": generated_at}) + "\n").encode()
    write_atomically(folder / MARKER, data)
    return data


def is_catalog(folder: Path) -> bool:
    """A real folder (not a link) holding the catalog's marker."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("generator") == GENERATOR
    except (OSError, ValueError, AttributeError):
        return False


def check_output(output: Path) -> None:
    """`output` may be written: missing, an empty folder, or a catalog."""
    if _exists(output) and not (is_catalog(output) or _empty_folder(output)):
        raise MeshError(f"{output} exists and is not a catalog written by `mesh catalog`; choose another --output")


def siblings(output: Path) -> tuple[Path, Path]:
    """The folder a new site is written into, and the one the previous site moves to."""
    return output.with_name(output.name + ".partial"), output.with_name(output.name + ".old")


def start(output: Path, project: str, generated_at: str) -> Path:
    """A new, marked `DIR.partial` to write the site into; the catalog's own leftovers of an earlier run go."""
    check_output(output)
    staging, old = siblings(output)
    for leftover in (staging, old):
        if _exists(leftover) and not is_catalog(leftover):
            raise MeshError(f"{leftover} exists and was not written by `mesh catalog`; move it away or choose "
                            f"another --output")
    try:
        for leftover in (staging, old):
            if leftover.exists():
                shutil.rmtree(leftover)
        staging.mkdir(parents=True)
    except OSError as error:
        raise MeshError(f"cannot write the catalog to {output}: {error.strerror or error}; choose another "
                        f"--output") from None
    write_marker(staging, project, generated_at)
    return staging


def finish(staging: Path, output: Path) -> None:
    """Put the complete site in `staging` in place of `output`."""
    _, old = siblings(output)
    if _empty_folder(output):
        try:
            output.rmdir()  # the empty folder it was when checked
        except OSError:
            raise MeshError(f"{output} is no longer empty; the new catalog stays in {staging}") from None
    elif output.exists():
        output.rename(old)
    staging.rename(output)
    if is_catalog(old):
        shutil.rmtree(old)


def abandon(staging: Path) -> None:
    """Remove a site left half written (it is the catalog's own, marked when it was made)."""
    if is_catalog(staging):
        shutil.rmtree(staging, ignore_errors=True)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _empty_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())
