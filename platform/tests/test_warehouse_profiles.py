"""The platform finds the warehouse where dbt finds the profile: the project's own profiles.yml, else the folder
`DBT_PROFILES_DIR` names (an outside project keeps its profile in a folder of its own), else ~/.dbt/."""

from pathlib import Path

import pytest

from mesh_platform.project import Project
from mesh_platform.warehouse import duckdb_path

PROFILE = "kiosk:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {path}\n"


def project(root: Path, profile_here: bool) -> Project:
    root.mkdir()
    (root / "dbt_project.yml").write_text("name: kiosk\nprofile: kiosk\n")
    if profile_here:
        (root / "profiles.yml").write_text(PROFILE.format(path="here.duckdb"))
    return Project(root)


def test_a_profile_in_the_folder_dbt_profiles_dir_names_is_read(tmp_path, monkeypatch):
    folder = tmp_path / "profile"
    folder.mkdir()
    (folder / "profiles.yml").write_text(PROFILE.format(path="/data/kiosk.duckdb"))
    monkeypatch.setenv("DBT_PROFILES_DIR", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # nothing in ~/.dbt/

    assert duckdb_path(project(tmp_path / "kiosk", profile_here=False)) == Path("/data/kiosk.duckdb")


def test_the_projects_own_profile_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path / "nowhere"))
    root = tmp_path / "kiosk"

    assert duckdb_path(project(root, profile_here=True)) == root / "here.duckdb"


def test_without_any_profile_it_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    from mesh_platform.errors import MeshError

    with pytest.raises(MeshError, match="cannot read the profile 'kiosk'"):
        duckdb_path(project(tmp_path / "kiosk", profile_here=False))
