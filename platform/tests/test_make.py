"""`make` starts afresh from a .venv that another checkout made (its entry points would run that code)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

import mesh_platform


def own_venv(venv: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "own-venv", f"VENV={venv}"], cwd=REPO, capture_output=True, text=True)


def test_a_venv_without_this_checkouts_platform_is_made_again(tmp_path):
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    done = own_venv(venv)
    assert done.returncode == 0 and "belongs to another checkout (or is broken): making it again" in done.stdout
    assert not venv.exists()


def test_this_checkouts_venv_is_kept():
    running = Path(sys.executable).parents[1]
    assert Path(mesh_platform.__file__).resolve().is_relative_to(REPO / "platform")  # else make would remove it
    done = own_venv(running)
    assert done.returncode == 0 and done.stdout == "" and Path(sys.executable).exists()
