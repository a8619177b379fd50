"""A killed `mesh quality` frees the warehouse: its GX child dies with it, and the next run can write."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import WAREHOUSE

from mesh_platform.warehouse_lock import WarehouseLock

pytestmark = pytest.mark.integration


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether any thread of the process is still alive (its main thread may be a zombie while others exit)."""
    try:
        threads = list((Path("/proc") / str(pid) / "task").iterdir())
    except OSError:
        return False
    for thread in threads:
        try:
            if (thread / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                return True
        except OSError:
            continue
    return False


def holds(pid: int, path: Path) -> bool:
    try:
        return any(os.path.realpath(fd) == str(path) for fd in (Path("/proc") / str(pid) / "fd").iterdir())
    except OSError:
        return False


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_mesh_quality_kills_its_child_and_frees_the_duckdb_file(built_copy):
    database = (built_copy / WAREHOUSE).resolve()
    parent = subprocess.Popen([sys.executable, "-m", "mesh_platform", "quality", "--project-dir", str(built_copy)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: any(holds(child, database) for child in children(parent.pid)), 120), \
            "the GX child never opened the warehouse"
        child = next(child for child in children(parent.pid) if holds(child, database))
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_for(lambda: not running(child), 10), "the child outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()
    with WarehouseLock(database.with_name("mesh.duckdb.lock"), "mesh build", database) as lock:
        assert lock.taken_over is not None and lock.taken_over.pid == parent.pid
        with duckdb.connect(str(database)) as connection:  # a writer's open succeeds
            connection.execute("create table main.after_the_kill as select 1 as x")
