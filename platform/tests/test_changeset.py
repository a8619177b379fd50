"""A changeset applies whole or not at all; it never overwrites."""

import hashlib
import os

import pytest

from mesh_platform import changeset as changeset_module
from mesh_platform.changeset import Changeset
from mesh_platform.errors import MeshError


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
    assert not [p for p in root.iterdir() if p.name.startswith(".mesh-new-")]


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
