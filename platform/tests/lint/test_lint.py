"""`mesh lint` on real copies of the project: the reference lints clean; planted style faults are caught
(and fixed with --fix); --domain and --changed narrow the files; bad requests exit 2."""

import json
import subprocess

import pytest
from conftest import copy_project

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

SHOUTY = "SELECT Advance_Id AS X FROM {{ ref('advances') }}\n"


def lint(capsys, root, *args) -> tuple[int, dict]:
    code = main(["lint", "--format", "json", "--project-dir", str(root), *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("lint") / "mesh")


def test_the_reference_mesh_lints_clean(project, capsys):
    code, report = lint(capsys, project)
    assert code == 0 and report["violations"] == []
    assert report["files"] >= 38


def test_a_planted_style_fault_is_caught_and_fixed(tmp_path, capsys):
    root = copy_project(tmp_path / "mesh")
    model = root / "models/funding/marts/shouty.sql"
    model.write_text(SHOUTY)
    code, report = lint(capsys, root, "--domain", "funding")
    assert code == 1
    codes = {(v["path"], v["code"]) for v in report["violations"]}
    assert ("models/funding/marts/shouty.sql", "CP01") in codes and ("models/funding/marts/shouty.sql", "CP02") in codes
    assert all(v["domain"] == "funding" for v in report["violations"])

    code, report = lint(capsys, root, "--domain", "funding", "--fix")
    assert code == 0 and report["violations"] == []
    assert model.read_text() == "select advance_id as x from {{ ref('advances') }}\n"


def test_a_macro_the_lint_context_does_not_know_is_reported(tmp_path, capsys):
    root = copy_project(tmp_path / "mesh")
    (root / "models/funding/marts/odd.sql").write_text("select {{ dbt.no_such_macro() }} as x\n")
    code, report = lint(capsys, root, "--domain", "funding")
    assert code == 1 and [v["code"] for v in report["violations"]] == ["TMP"]


def test_domain_narrows_the_files(project, capsys):
    code, report = lint(capsys, project, "--domain", "merchants")
    assert code == 0 and report["files"] == 3


def test_changed_lints_only_what_changed_against_the_base(tmp_path, capsys):
    root = copy_project(tmp_path / "mesh")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.email=t@x.example", "-c", "user.name=t", "commit", "-qm", "base"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    assert lint(capsys, root, "--changed") == (0, {"files": 0, "violations": []})
    (root / "models/funding/marts/shouty.sql").write_text(SHOUTY)
    staging = root / "models/merchants/staging/crm/stg_crm__merchants.sql"
    staging.write_text(staging.read_text() + "\n")
    code, report = lint(capsys, root, "--changed", "--base", "main")
    assert code == 1 and report["files"] == 2
    assert {v["path"] for v in report["violations"]} == {"models/funding/marts/shouty.sql",
                                                        "models/merchants/staging/crm/stg_crm__merchants.sql"}


def test_without_a_sqlfluff_config_lint_says_what_to_add(tmp_path, capsys):
    root = copy_project(tmp_path / "mesh")
    (root / ".sqlfluff").unlink()
    assert main(["lint", "--project-dir", str(root)]) == 2
    assert "no .sqlfluff in" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--domain", "treasury"], "unknown domain 'treasury'; the domains are: analytics"),
    (["--changed", "--base", "no-such-ref"], "cannot list changed files against 'no-such-ref'"),
])
def test_bad_requests_exit_2_in_one_line(project, capsys, args, message):
    assert main(["lint", "--project-dir", str(project), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def committed_copy(tmp_path):
    root = copy_project(tmp_path / "mesh")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.email=t@x.example", "-c", "user.name=t", "commit", "-qm", "base"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    return root


@pytest.mark.parametrize("base", ["--output={victim}", "-o{victim}", "--output {victim}"])
def test_a_base_that_reads_as_an_option_is_refused_and_touches_no_file(tmp_path, capsys, base):
    root = committed_copy(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    assert main(["lint", "--project-dir", str(root), "--changed", f"--base={base.format(victim=victim)}"]) == 2
    err = capsys.readouterr().err
    assert "is not a git ref" in err and err.count("\n") == 1
    assert victim.read_text() == "keep me\n"


def test_a_base_that_names_no_commit_is_refused_in_one_line(tmp_path, capsys):
    root = committed_copy(tmp_path)
    tree = subprocess.run(["git", "rev-parse", "HEAD^{tree}"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()  # a ref's shape, but a tree: git diff would take it
    assert main(["lint", "--project-dir", str(root), "--changed", "--base", tree]) == 2
    err = capsys.readouterr().err
    assert f"cannot list changed files against '{tree}': it names no commit of this repository" in err
    assert err.count("\n") == 1
