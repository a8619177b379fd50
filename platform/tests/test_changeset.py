"""A changeset applies whole or not at all; it never overwrites."""

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import copy_project, tree_hash

from mesh_platform import changeset as changeset_module
from mesh_platform.changeset import Changeset
from mesh_platform.cli import main
from mesh_platform.errors import MeshError
from mesh_platform.journal import JOURNAL_DIR
from mesh_platform.project import Project


def tree(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "models" / "old").mkdir(parents=True)
    (tmp_path / "models" / "old" / "a.sql").write_text("select 1")
    (tmp_path / "dbt_project.yml").write_text("name: p\n")
    return tmp_path


def plan(root):
    changes = Changeset(root)
    changes.create("models/new/staging/s.sql", "select 2")
    changes.create("models/new/README.md", "# new")
    changes.create("seeds/new/x.csv", "a\n1\n")
    changes.replace("dbt_project.yml", "name: p\nmodels: {}\n")
    changes.replace(".github/CODEOWNERS", "/models/new/ @o/t\n")
    return changes


def test_apply_writes_everything(root):
    plan(root).apply()
    assert (root / "models/new/staging/s.sql").read_text() == "select 2"
    assert (root / "seeds/new/x.csv").exists() and (root / ".github/CODEOWNERS").exists()
    assert (root / "dbt_project.yml").read_text() == "name: p\nmodels: {}\n"
    assert not [p for p in root.iterdir() if p.name.startswith(".mesh-")]  # no staging or journal left


def test_an_interrupted_apply_leaves_the_tree_as_it_was(root, monkeypatch):
    before = tree(root)
    calls = []
    real_replace = os.replace

    def interrupted(source, target):
        calls.append(target)
        if len(calls) == 3:  # after two folders moved into place
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(changeset_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plan(root).apply()
    assert tree(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["dbt_project.yml", "models"]


def test_a_failure_after_replacing_a_file_restores_it(root, monkeypatch):
    before = tree(root)
    real_replace = os.replace

    def fail_on_codeowners(source, target):
        if str(target).endswith("CODEOWNERS"):
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(changeset_module.os, "replace", fail_on_codeowners)
    with pytest.raises(OSError):
        plan(root).apply()
    assert tree(root) == before


def test_it_never_overwrites(root):
    changes = Changeset(root)
    changes.create("models/old/a.sql", "select 3")
    with pytest.raises(MeshError, match="models/old/a.sql already exists; nothing was written"):
        changes.apply()
    assert (root / "models/old/a.sql").read_text() == "select 1"


def test_describe_lists_each_file_with_its_content(root):
    text = plan(root).describe()
    assert "--- create models/new/staging/s.sql\nselect 2\n" in text
    assert "--- update dbt_project.yml\nname: p\nmodels: {}\n" in text


DOMAIN_NEW = ["domain", "new", "treasury", "--owner", "Treasury", "--email", "treasury@x.example",
              "--team-handle", "@org/treasury"]


def mesh_domain_new(root, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mesh_platform", *DOMAIN_NEW, "--project-dir", str(root)],
                          env={**os.environ, **env}, capture_output=True, text=True)


def test_mesh_domain_new_killed_after_any_file_operation_is_rolled_back_by_the_next_command(tmp_path, capsys):
    done = copy_project(tmp_path / "done")
    assert mesh_domain_new(done).returncode == 0
    after = tree_hash(done)
    root = copy_project(tmp_path / "mesh")
    before = tree_hash(root)
    assert after != before
    rolled_back = []
    for steps in itertools.count(1):
        killed = mesh_domain_new(root, MESH_KILL_AFTER_STEPS=str(steps))
        if killed.returncode == 0:
            break
        assert killed.returncode == 137, killed.stderr
        assert (root / JOURNAL_DIR).is_dir()  # the kill left its journal
        assert main([*DOMAIN_NEW[:2], "anything", *DOMAIN_NEW[3:], "--dry-run", "--project-dir", str(root)]) == 0
        err = capsys.readouterr().err
        assert err.startswith("mesh: ") and err.count("\n") == 1, err
        assert not (root / JOURNAL_DIR).exists()
        now = tree_hash(root)
        assert now in (before, after), f"killed after {steps} steps: a partial tree"
        if now == before:
            rolled_back.append(steps)
            if "rolled back the unfinished `mesh domain new treasury" not in err:
                assert "it had changed nothing in the tree" in err
        else:  # killed after the last step: the change was whole; start again from the old tree
            assert "or all it meant to" in err
            shutil.rmtree(root)
            root = copy_project(tmp_path / f"mesh-{steps}")
    assert len(rolled_back) >= 12 and rolled_back == list(range(1, len(rolled_back) + 1))
    assert tree_hash(root) == after and not (root / JOURNAL_DIR).exists()


def test_an_unreadable_journal_is_refused_in_one_line(root):
    (root / JOURNAL_DIR).mkdir()
    (root / JOURNAL_DIR / "journal.json").write_text("{not json")
    with pytest.raises(MeshError, match=r"cannot read the unfinished change's journal .*; restore the tree from git"):
        Project.locate(root)


def test_a_journal_naming_a_path_outside_the_project_is_refused(root):
    (root / JOURNAL_DIR).mkdir()
    (root / JOURNAL_DIR / "journal.json").write_text(json.dumps(
        {"command": "mesh x", "created": ["../elsewhere"], "restored": []}))
    with pytest.raises(MeshError, match=r"names a path outside the project \(\.\./elsewhere\)"):
        Project.locate(root)
