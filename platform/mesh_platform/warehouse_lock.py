"""One writer at a time per warehouse: an advisory lock file that names the process holding it.

The lock is the kernel's (`flock`), so it dies with its process: a lock file left by a killed run is
free to take, and the file's content says whose it was. A process may still hold the DuckDB file itself
without the lock (a tool, or the orphan of a killed run): DuckDB's own lock names it, and it is refused too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import MeshError


class WarehouseBusy(MeshError):
    """Another mesh process is writing to the same warehouse."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    started_at: str

    def describe(self) -> str:
        return f"`{self.command}` (pid {self.pid} on {self.host}, since {self.started_at})"


class WarehouseLock:
    """`with WarehouseLock(path, "mesh nightly"):` holds the warehouse or raises WarehouseBusy at once.

    `database`: the DuckDB file the lock guards; refused too while another live process has it open."""

    def __init__(self, path: Path, command: str, database: Path | None = None):
        self.path = path
        self.command = command
        self.database = database
        self.taken_over: Holder | None = None  # who left the lock behind without releasing it
        self._fd: int | None = None

    def __enter__(self) -> WarehouseLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            who = holder.describe() if holder else "another process"
            raise WarehouseBusy(f"the warehouse is in use by {who} (lock {self.path}); wait for it to finish, "
                                f"or stop it, then run again") from None
        holder_pid = duckdb_holder(self.database) if self.database is not None else None
        if holder_pid is not None:
            os.close(fd)
            raise WarehouseBusy(f"the warehouse {self.database} is held open by process {holder_pid}, outside the "
                                f"mesh lock; stop it, then run again")
        previous = _read_holder(fd)
        if previous is not None and previous.pid != os.getpid():
            self.taken_over = previous  # it held the lock and is gone: the kernel released it
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        record = json.dumps(asdict(Holder(os.getpid(), socket.gethostname(), self.command, now))).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        os.ftruncate(fd, 0)  # an empty lock file: released cleanly, nobody to take over from
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_holder(fd: int) -> Holder | None:
    try:
        raw = json.loads(os.pread(fd, 4096, 0) or b"null")
        return Holder(int(raw["pid"]), str(raw["host"]), str(raw["command"]), str(raw["started_at"]))
    except (ValueError, KeyError, TypeError):
        return None


EXIT_GRACE_SECONDS = 10.0


def duckdb_holder(database: Path) -> int | None:
    """The pid of another live process that holds the DuckDB file open (named by DuckDB's lock error), else None.

    A process that is exiting (e.g. the child of a killed run, whose other threads are still being torn down)
    lets go of the file within moments: it is waited for, up to EXIT_GRACE_SECONDS."""
    deadline = time.monotonic() + EXIT_GRACE_SECONDS
    while True:
        holder = _duckdb_lock_holder(database)
        if holder is None or not _exiting(holder) or time.monotonic() > deadline:
            return holder
        time.sleep(0.05)


def _duckdb_lock_holder(database: Path) -> int | None:
    import duckdb

    if not database.is_file():
        return None
    try:
        duckdb.connect(str(database)).close()  # a writer's open: refused while anyone else has the file open
    except duckdb.IOException as error:
        found = re.search(r"\(PID (\d+)\)", str(error))
        if found and int(found[1]) != os.getpid() and _alive(int(found[1])):
            return int(found[1])
    except duckdb.Error:
        pass  # e.g. this process has it open with other settings: not another holder
    return None


def _exiting(pid: int) -> bool:
    """Whether the process has exited but not yet let go of everything: its main thread is a zombie (Linux)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True
