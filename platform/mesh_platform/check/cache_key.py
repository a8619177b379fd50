"""The per-user key that seals the check's cache, so that only this user's own runs can have written an entry.

`$XDG_CACHE_HOME/mesh/check-cache.key` (default `~/.cache/mesh/`): 32 random bytes, created 0600 on first
use. A key file anyone else may read or write, or that is not this user's, is not a key: no cache is read or
written then (the check computes everything afresh, which only costs time).
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import stat
from pathlib import Path

KEY_FILE = "check-cache.key"
KEY_SIZE = 32


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "mesh" / KEY_FILE


def cache_key() -> bytes | None:
    """This user's key (created if there is none), or None when there is no trustworthy one."""
    return _key(key_path())


@functools.lru_cache(maxsize=8)
def _key(path: Path) -> bytes | None:
    with contextlib.suppress(OSError):
        if not path.exists():
            _create(path)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            info = os.fstat(fd)
            if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077
                    or info.st_size != KEY_SIZE):
                return None
            key = os.read(fd, KEY_SIZE + 1)
        finally:
            os.close(fd)
        return key if len(key) == KEY_SIZE else None
    return None


def _create(path: Path) -> None:
    """Write the key whole under a temporary name, then link it in: a racing run keeps the first key made."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(KEY_SIZE))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
