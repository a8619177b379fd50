"""`mesh diff` on a git copy of the reference mesh: a dropped column names the break and every consumer hit;
the same change as v2 with v1 deprecated passes; a manifest file works as the base; bad bases are refused."""

import json
import shutil
import subprocess

import pytest

from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.project import Project

pytestmark = pytest.mark.integration
ADVANCES = "models/funding/marts/advances"


@pytest.fixture
def repo(project_copy):
    def git(*args):
        subprocess.run(["git", *args], cwd=project_copy, check=True, capture_output=True)
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@x", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "base")
    return project_copy


def drop_holdback_rate(root, as_v2: bool) -> None:
    yml = root / f"{ADVANCES}.yml"
    text = yml.read_text()
    sql = (root / f"{ADVANCES}.sql").read_text().replace("    holdback_rate,\n", "")
    if as_v2:
        yml.write_text(text.replace("    versions:\n      - v: 1\n", "    versions:\n      - v: 1\n"
                                    "        defined_in: advances\n        deprecation_date: 2027-06-30\n"
                                    "      - v: 2\n        columns:\n          - include: all\n"
                                    "            exclude: [holdback_rate]\n"))
        (root / f"{ADVANCES}_v2.sql").write_text(sql)
        return
    start, end = text.index("      - name: holdback_rate"), text.index("      - name: total_repayable")
    yml.write_text(text[:start] + text[end:])
    (root / f"{ADVANCES}.sql").write_text(sql)


def diff(root, capsys, *args):
    code = main(["diff", "--project-dir", str(root), *args])
    return code, capsys.readouterr()


def test_a_dropped_column_names_the_break_and_each_consumer_hit(repo, capsys):
    drop_holdback_rate(repo, as_v2=False)
    code, out = diff(repo, capsys, "--base", "HEAD", "--format", "json")
    assert code == 1
    report = json.loads(out.out)
    (change,) = [change for change in report["changes"] if change["breaking"]]
    assert (change["product"], change["version"], change["change"]) == ("advances", "1", "column holdback_rate removed")
    hit = {(c["domain"], c["name"]) for c in change["consumers"]}
    assert {("analytics", "funnel"), ("analytics", "int_advances_enriched"), ("collections", "repayments")} <= hit
    assert {c["owner"] for c in change["consumers"] if c["domain"] == "analytics"} == {"Insights @lender/insights"}
    code, out = diff(repo, capsys, "--base", "HEAD", "--format", "markdown")
    assert code == 1 and "| `advances v1` | funding | column holdback_rate removed |" in out.out
    assert "**analytics** (Insights @lender/insights): `funnel`, `int_advances_enriched`" in out.out


def test_the_same_change_as_v2_with_v1_deprecated_passes(repo, capsys):
    drop_holdback_rate(repo, as_v2=True)
    code, out = diff(repo, capsys, "--base", "HEAD")
    assert code == 0, out.out
    assert "advances v2 (funding): new version" in out.out and "0 breaking" in out.out


def test_a_manifest_file_is_a_base_too(repo, capsys, tmp_path):
    DbtSession(Project(repo)).manifest()  # dbt parse writes target/manifest.json
    shutil.copy(repo / "target" / "manifest.json", tmp_path / "production.json")
    drop_holdback_rate(repo, as_v2=False)
    code, out = diff(repo, capsys, "--base", str(tmp_path / "production.json"))
    assert code == 1 and "BREAKING  advances v1 (funding): column holdback_rate removed" in out.out


@pytest.mark.parametrize("base, message", [
    ("no-such-ref", "--base no-such-ref is neither a manifest file nor a git ref of this repository"),
    ("missing.json", "--base missing.json: no manifest file there"),
])
def test_a_bad_base_is_refused_with_one_line(repo, capsys, base, message):
    code, out = diff(repo, capsys, "--base", base)
    assert code == 2 and message in out.err and len(out.err.strip().splitlines()) == 1


def test_a_manifest_of_another_project_is_refused(repo, capsys, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"metadata": {"project_name": "shop"}, "nodes": {}}))
    code, out = diff(repo, capsys, "--base", str(other))
    assert code == 2 and "is the manifest of project 'shop', not of this project 'mesh'" in out.err
