"""`mesh lint`'s cache: an unchanged file is not linted again; a changed file, a changed configuration or a
cache someone else wrote is linted afresh, and the findings are the same either way."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from mesh_platform.lint import cache, runner

CLEAN = "select advance_id from {{ ref('advances') }}\n"
SHOUTY = "SELECT Advance_Id AS X FROM {{ ref('advances') }}\n"


@pytest.fixture
def project(tmp_path):
    shutil.copy2(REPO / ".sqlfluff", tmp_path / ".sqlfluff")
    (tmp_path / ".sqlfluff").write_text((REPO / ".sqlfluff").read_text().replace(
        "library_path = platform/mesh_platform/lint/sqlfluff_context", f"library_path = {runner.LINT_CONTEXT}"))
    folder = tmp_path / "models" / "funding" / "marts"
    folder.mkdir(parents=True)
    (folder / "clean.sql").write_text(CLEAN)
    (folder / "shouty.sql").write_text(SHOUTY)
    return tmp_path


@pytest.fixture
def linted(monkeypatch):
    """The files sqlfluff itself linted, call by call."""
    calls: list[list[str]] = []
    real = runner._run_sqlfluff

    def counting(root, paths, *args):
        calls.append(sorted(paths))
        return real(root, paths, *args)

    monkeypatch.setattr(runner, "_run_sqlfluff", counting)
    return calls


FILES = ["models/funding/marts/clean.sql", "models/funding/marts/shouty.sql"]


def test_an_unchanged_file_is_not_linted_again(project, linted):
    first = runner.lint(project, FILES, processes=1)
    second = runner.lint(project, FILES, processes=1)
    assert second == first and {v.code for v in first} >= {"CP01", "CP02"}
    assert linted == [FILES, []]


def test_a_changed_file_alone_is_linted_again(project, linted):
    runner.lint(project, FILES, processes=1)
    (project / FILES[1]).write_text(CLEAN)
    assert runner.lint(project, FILES, processes=1) == []
    assert linted == [FILES, [FILES[1]]]


def test_a_changed_configuration_lints_everything_again(project, linted):
    runner.lint(project, FILES, processes=1)
    config = project / ".sqlfluff"
    config.write_text(config.read_text().replace("max_line_length = 120", "max_line_length = 100"))
    runner.lint(project, FILES, processes=1)
    assert linted == [FILES, FILES]


def test_a_cache_someone_else_wrote_is_not_trusted(project, linted):
    first = runner.lint(project, FILES, processes=1)
    path = project / cache.CACHE_FILE
    data = bytearray(path.read_bytes())
    data[-3:] = b"[]}"  # the findings edited away
    path.write_bytes(bytes(data))
    assert runner.lint(project, FILES, processes=1) == first
    assert linted == [FILES, FILES]
