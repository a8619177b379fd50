"""The warehouse lock: one holder at a time, named when it refuses another, taken over when its holder died."""

import json
import os
import signal
import subprocess
import sys

import duckdb
import pytest

from mesh_platform.cli import main
from mesh_platform.project import Project
from mesh_platform.warehouse import lock_files
from mesh_platform.warehouse_lock import WarehouseBusy, WarehouseLock, duckdb_holder

HOLD = """
import sys, time
from pathlib import Path
from mesh_platform.warehouse_lock import WarehouseLock
with WarehouseLock(Path(sys.argv[1]), "mesh build"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_free_lock_is_taken_recorded_and_released(tmp_path):
    path = tmp_path / "mesh.duckdb.lock"
    with WarehouseLock(path, "mesh nightly") as lock:
        holder = json.loads(path.read_text())
        assert holder["pid"] == os.getpid() and holder["command"] == "mesh nightly"
        assert lock.taken_over is None
    assert path.read_text() == ""  # released cleanly: nobody to take over from
    with WarehouseLock(path, "mesh build") as again:
        assert again.taken_over is None


def test_a_held_lock_refuses_a_second_holder_naming_the_first(tmp_path):
    path = tmp_path / "mesh.duckdb.lock"
    with WarehouseLock(path, "mesh nightly"):
        with pytest.raises(WarehouseBusy, match=rf"in use by `mesh nightly` \(pid {os.getpid()} on .*since .*\)"), \
                WarehouseLock(path, "mesh build"):
            pass  # pragma: no cover - never reached
        assert json.loads(path.read_text())["command"] == "mesh nightly"  # the refusal changed nothing


def test_a_lock_held_by_another_process_is_refused_then_taken_over_when_it_is_killed(tmp_path):
    path = tmp_path / "mesh.duckdb.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match=rf"`mesh build` \(pid {holder.pid} "), \
                WarehouseLock(path, "mesh nightly"):
            pass  # pragma: no cover - never reached
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with WarehouseLock(path, "mesh nightly") as lock:
        assert lock.taken_over is not None and lock.taken_over.pid == holder.pid
        assert lock.taken_over.command == "mesh build"
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_an_unreadable_lock_file_is_simply_taken(tmp_path):
    path = tmp_path / "mesh.duckdb.lock"
    path.write_text("not json")
    with WarehouseLock(path, "mesh nightly") as lock:
        assert lock.taken_over is None
        assert json.loads(path.read_text())["command"] == "mesh nightly"


OPEN_DUCKDB = """
import sys, time
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(60)
"""


def test_a_duckdb_file_held_open_outside_the_lock_is_refused_naming_its_pid(tmp_path):
    database = tmp_path / "mesh.duckdb"
    duckdb.connect(str(database)).close()
    reader = subprocess.Popen([sys.executable, "-c", OPEN_DUCKDB, str(database)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy, match=rf"^the warehouse {database} is held open by process {reader.pid}, "
                                                r"outside the mesh lock; stop it, then run again$"), \
                WarehouseLock(tmp_path / "mesh.duckdb.lock", "mesh build", database):
            pass  # pragma: no cover - never reached
    finally:
        reader.send_signal(signal.SIGKILL)
        reader.wait()
    with WarehouseLock(tmp_path / "mesh.duckdb.lock", "mesh build", database) as lock:  # free once it is gone
        assert lock.taken_over is None
        assert duckdb_holder(database) is None


# The main thread exits alone (exit, not exit_group: what a killed process looks like while its other threads
# are torn down): the process is a zombie that still holds the file until its last thread lets go.
EXITING_HOLDER = """
import ctypes, os, sys, threading, time
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
def let_go_later():
    time.sleep(float(sys.argv[2]))
    os._exit(0)
threading.Thread(target=let_go_later).start()
print("open", flush=True)
ctypes.CDLL(None).syscall(60, 0)  # SYS_exit on x86_64: this thread only
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.uname().machine != "x86_64",
                    reason="exits one thread by its Linux x86_64 system call")
def test_a_holder_that_is_exiting_is_waited_for_and_one_that_is_not_is_named(tmp_path, monkeypatch):
    database = tmp_path / "mesh.duckdb"
    duckdb.connect(str(database)).close()
    holder = subprocess.Popen([sys.executable, "-c", EXITING_HOLDER, str(database), "1.5"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert duckdb_holder(database) is None  # waited for: it let go 1.5 s later
        holder.wait(5)
        holder = subprocess.Popen([sys.executable, "-c", EXITING_HOLDER, str(database), "30"],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setattr("mesh_platform.warehouse_lock.EXIT_GRACE_SECONDS", 0.5)
        assert duckdb_holder(database) == holder.pid  # still holding it after the grace: named
    finally:
        holder.kill()
        holder.wait()


def test_this_process_holding_the_duckdb_file_is_not_another_holder(tmp_path):
    database = tmp_path / "mesh.duckdb"
    with duckdb.connect(str(database)), \
            WarehouseLock(tmp_path / "mesh.duckdb.lock", "mesh build", database) as lock:
        assert lock.taken_over is None


@pytest.mark.parametrize("alias", ["folder", "file"])
def test_a_path_through_a_symlink_shares_the_lock_of_the_file_it_names(project_copy, tmp_path, monkeypatch, capsys,
                                                                        alias):
    real = (tmp_path / "real").resolve()
    real.mkdir()
    if alias == "folder":
        (tmp_path / "link").symlink_to(real, target_is_directory=True)
        through_link = tmp_path / "link" / "mesh.duckdb"
    else:
        through_link = tmp_path / "alias.duckdb"
        through_link.symlink_to(real / "mesh.duckdb")
    monkeypatch.setenv("MESH_DUCKDB_PATH", str(real / "mesh.duckdb"))
    lock_file, database = lock_files(Project(project_copy))
    assert (lock_file, database) == (real / "mesh.duckdb.lock", real / "mesh.duckdb")
    with WarehouseLock(lock_file, "mesh nightly", database):
        monkeypatch.setenv("MESH_DUCKDB_PATH", str(through_link))
        assert lock_files(Project(project_copy)) == (lock_file, database)
        assert main(["build", "--quiet", "--project-dir", str(project_copy)]) == 2
    err = capsys.readouterr().err
    assert f"in use by `mesh nightly` (pid {os.getpid()} " in err and err.count("\n") == 1
