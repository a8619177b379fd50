"""Children that die with their parent: a killed mesh command leaves no process behind holding the warehouse."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int) -> None:
    """Run first in a child process (e.g. as a pool's initializer): it exits as soon as `parent_pid` is gone.

    On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); the parent may already have
    died before that was armed, hence the check of getppid() right after. A watcher thread covers other
    systems, and a parent thread that started the child and ended (the kernel's signal follows that thread)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), name="die-with-parent", daemon=True).start()


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.2)
    os._exit(1)


def start_worker(module: str, request: bytes, stem: Path) -> tuple[subprocess.Popen | None, Path]:
    """`python -m module` with `request` (kept in `stem`.in) on its stdin and its answer written to `stem`.out:
    the process and the answer's path; no process when it cannot start (the caller does the work itself)."""
    request_file, answer = stem.with_suffix(".in"), stem.with_suffix(".out")
    request_file.write_bytes(request)
    try:
        with request_file.open("rb") as stdin, answer.open("wb") as stdout:
            return subprocess.Popen([sys.executable, "-m", module], stdin=stdin, stdout=stdout,
                                    stderr=subprocess.DEVNULL), answer
    except OSError:
        return None, answer
