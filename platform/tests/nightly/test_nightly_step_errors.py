"""Fail closed: a nightly step that raises anything is that step's error; the other steps run, the reports exist."""

from __future__ import annotations

import json

import pytest

from mesh_platform.cli import main
from mesh_platform.nightly import pipeline

pytestmark = pytest.mark.integration


def test_an_unexpected_error_in_a_step_is_recorded_and_the_other_steps_still_run(built_copy, monkeypatch, capsys):
    def broken_linter(*args, **kwargs):
        raise RuntimeError("the linter fell over\nwith a second line")

    monkeypatch.setattr(pipeline, "lint_items", broken_linter)
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) == 1
    out = capsys.readouterr().out
    assert "lint could not run: RuntimeError: the linter fell over with a second line" in out
    folder = built_copy / "target" / "nightly" / (built_copy / "target" / "nightly" / "LATEST").read_text().strip()
    steps = {step["name"]: step for step in json.loads((folder / "summary.json").read_text())["steps"]}
    assert steps["lint"]["status"] == "error"
    assert {steps[name]["status"] for name in ("seed", "build", "check", "quality")} == {"ok"}
    assert 'name="lint"' in (folder / "junit.xml").read_text() and (folder / "summary.md").is_file()
