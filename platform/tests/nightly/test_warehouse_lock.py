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
