"""`--output` (and `--chart`) to a place that cannot be written: one line naming the path, exit 2, never an
unexpected FileNotFoundError or NotADirectoryError; to a good place, the file is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import share_parse_state

from mesh_platform.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def project(parsed_mesh, tmp_path_factory) -> Path:
    """A parsed copy of the reference mesh (unbuilt), its manifest in target/."""
    root = tmp_path_factory.mktemp("outputs") / "mesh"
    shutil.copytree(parsed_mesh, root, ignore=shutil.ignore_patterns("logs"))
    return share_parse_state(parsed_mesh, root)


def command(project: Path, tmp_path: Path, kind: str, output: Path) -> list[str]:
    manifest = str(project / "target" / "manifest.json")
    return {
        "check": ["check", "--manifest", manifest, "--format", "json", "--output", str(output)],
        "catalog": ["catalog", "--manifest", manifest, "--output", str(output)],
        "contract export": ["contract", "export", "advances", "--output", str(output)],
        "contract export --all": ["contract", "export", "--all", "--output", str(output)],
        "legacy status --chart": ["legacy", "status", "--chart", str(output)],
    }[kind] + ["--project-dir", str(project)]


KINDS = ["check", "catalog", "contract export", "contract export --all", "legacy status --chart"]
GOOD = {"check": "report.json", "catalog": "catalog", "contract export": "advances.odcs.yaml",
        "contract export --all": "contracts", "legacy status --chart": "burndown.png"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", ["under a file", "missing parent"])
def test_an_output_that_cannot_be_written_is_one_line_naming_it(project, tmp_path, capsys, kind, place):
    (tmp_path / "a-file").write_text("not a folder\n")
    output = tmp_path / ("a-file" if place == "under a file" else "no/such") / "out"
    code = main(command(project, tmp_path, kind, output))
    out, err = capsys.readouterr()
    if place == "missing parent" and kind != "contract export":  # these make their folders, as documented
        assert code in (0, 1) and output.exists(), err
        return
    assert code == 2, err
    assert err.startswith("mesh: ") and err.count("\n") == 1 and "unexpected" not in err
    assert str(output) in err


@pytest.mark.parametrize("kind", KINDS)
def test_an_output_that_can_be_written_is(project, tmp_path, capsys, kind):
    output = tmp_path / GOOD[kind]
    code = main(command(project, tmp_path, kind, output))
    assert code in (0, 1), capsys.readouterr().err  # mesh check's exit 1 is a rule failing, not the output
    assert output.exists()
