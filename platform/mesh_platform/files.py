"""Writing a file whole: a reader sees the old file or the new one, never half of it, and a failure (a full
disk, a kill) leaves the old file in place and no temporary file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import MeshError


class WriteError(MeshError):
    """A file could not be written; `reason` says why (the OS's words), for callers that say what it was."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _failed(what: str, error: OSError) -> WriteError:
    reason = error.strerror or str(error)
    return WriteError(f"{what}: {reason}", reason)


def write_atomically(path: Path, content: str | bytes, *, make_folder: bool = True) -> None:
    """Write `content` (text as UTF-8) to a temporary file in `path`'s folder, flush it to disk, then rename
    it over `path`. `make_folder`: create the folder when missing (else a missing folder is a MeshError)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent
    if not folder.is_dir():
        if not make_folder:
            raise WriteError(f"folder {folder} does not exist; create it or write somewhere else",
                             f"folder {folder} does not exist")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _failed(f"cannot create folder {folder}", error) from None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as error:
        raise _failed(f"cannot write in {folder}", error) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _failed(f"cannot write {path}", error) from None
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """write_atomically for text (the name most callers know)."""
    write_atomically(path, text)
