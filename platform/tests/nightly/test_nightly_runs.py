"""`mesh nightly` on real copies of the reference mesh: a clean night, a failing model, a quality failure,
two runs at once, and a run killed mid-build then run again."""

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest
from conftest import WAREHOUSE, copy_masking_key

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
STEPS = ["seed", "build", "orphans", "freshness", "sla", "check", "lint", "quality"]
FAILING_MODEL = "{{ config(materialized='table') }}\nselect cast('oops' as integer) as advance_id\n"
PRICED = Path("models/funding/intermediate/int_advances_priced.sql")


def nightly(root: Path, *args: str) -> int:
    return main(["nightly", "--quiet", "--project-dir", str(root), *args])


def last_run(root: Path) -> tuple[Path, dict]:
    folder = root / "target" / "nightly" / (root / "target" / "nightly" / "LATEST").read_text().strip()
    return folder, json.loads((folder / "summary.json").read_text())


def items(summary: dict, domain: str, kind: str | None = None) -> list[dict]:
    return [item for item in summary["domains"][domain]["items"] if kind is None or item["kind"] == kind]


def products(root: Path) -> dict[str, list[tuple]]:
    """Every data product's rows, sorted: to compare two warehouses (masked with the same key:
    `copy_masking_key`)."""
    with duckdb.connect(str(root / WAREHOUSE), read_only=True) as connection:
        tables = connection.sql("select schema_name, table_name from duckdb_tables() where table_name like '%_v1' "
                                "and schema_name not like 'raw_%'").fetchall()
        return {f"{schema}.{table}": sorted(connection.sql(f"select * from {schema}.{table}").fetchall(), key=repr)
                for schema, table in tables}


def test_the_reference_mesh_passes_the_night_with_every_report(project_copy, capsys):
    notes = project_copy / "notes"
    assert nightly(project_copy, "--notify-dir", str(notes)) == 0
    folder, summary = last_run(project_copy)
    assert summary["status"] == "passed" and summary["dbt_parses"] == 1
    assert [(step["name"], step["status"]) for step in summary["steps"]] == [(name, "ok") for name in STEPS]
    domains = {name for name in summary["domains"] if not name.startswith("(")}
    assert domains == {"analytics", "collections", "funding", "legacy", "merchants", "partners", "underwriting"}
    assert {summary["domains"][name]["status"] for name in domains} == {"passed"}
    kinds = {item["kind"] for name in domains for item in items(summary, name)}
    assert kinds == {"seed", "model", "test", "freshness", "sla", "check", "lint", "quality"}
    assert (folder / "dbt" / "sources.json").is_file()  # the sources' freshness, kept with the run
    suites = ET.parse(folder / "junit.xml").getroot()
    assert suites.get("failures") == "0" and {suite.get("name") for suite in suites} >= domains
    assert (folder / "summary.md").read_text().startswith(f"## mesh nightly {summary['run_id']}: PASSED")
    assert not notes.exists()
    out = capsys.readouterr().out
    assert "Nightly passed" in out and f"target/nightly/{summary['run_id']}/summary.md" in out
    assert (project_copy / "warehouse" / "mesh.duckdb.lock").read_text() == ""  # released

    assert nightly(project_copy, "--resume") == 0  # nothing failed: nothing to do
    assert "Nothing to resume" in capsys.readouterr().out
    assert last_run(project_copy)[1]["run_id"] == summary["run_id"]


def test_a_failing_model_skips_only_its_descendants_and_resume_finishes_the_night(project_copy, built_mesh):
    copy_masking_key(built_mesh[0], project_copy)
    original = (project_copy / PRICED).read_text()
    (project_copy / PRICED).write_text(FAILING_MODEL)
    notes = project_copy / "notes"

    assert nightly(project_copy, "--notify-dir", str(notes)) == 1

    folder, summary = last_run(project_copy)
    status = {name: domain["status"] for name, domain in summary["domains"].items()}
    # partners reads funding's advances product (its commissions), so it waits too
    assert status == {"analytics": "blocked", "collections": "blocked", "funding": "failed", "legacy": "passed",
                      "merchants": "passed", "partners": "blocked", "underwriting": "passed", "(project)": "passed"}
    for name in ("legacy", "merchants", "underwriting"):  # built and tested in full
        assert items(summary, name, "model") and {i["status"] for i in items(summary, name)} == {"passed"}
    failed = [item for item in items(summary, "funding") if item["status"] == "failed"]
    assert [(item["kind"], item["name"], item["path"]) for item in failed] == [
        ("model", "int_advances_priced", str(PRICED))]
    assert {"model advances.v1 (funding)", "model repayments.v1 (collections)",
            "model portfolio_performance.v1 (analytics)", "model partner_commissions.v1 (partners)"} \
        <= set(failed[0]["related"])
    assert {item["status"] for item in items(summary, "analytics", "model")} == {"skipped"}
    # funding's owner, and the owners of the domains it holds up (blocked, with their products affected)
    assert sorted(path.name for path in notes.iterdir()) == ["analytics.md", "collections.md", "funding.md",
                                                             "partners.md"]
    assert ("advances.v1 (funding) was not built (something upstream failed); yours affected: "
            "advance_performance_daily.v1, repayments.v1") in (notes / "collections.md").read_text()
    note = (notes / "funding.md").read_text()
    assert note.startswith("To: Funding <funding-ops@lender.example> @lender/funding")
    assert "int_advances_priced" in note and str(PRICED) in note and "advances.v1 (funding)" in note
    funding = next(suite for suite in ET.parse(folder / "junit.xml").getroot() if suite.get("name") == "funding")
    assert funding.get("failures") == "1" and int(funding.get("skipped")) >= 5
    assert "### funding: failed · Funding <funding-ops@lender.example> @lender/funding" in \
        (folder / "summary.md").read_text()

    (project_copy / PRICED).write_text(original)
    assert nightly(project_copy, "--resume") == 0

    _, resumed = last_run(project_copy)
    assert resumed["resumed_from"] == summary["run_id"] and resumed["status"] == "passed"
    build = next(step for step in resumed["steps"] if step["name"] == "build")
    rerun = int(build["detail"].split()[0])
    skipped = sum(1 for d in summary["domains"].values() for i in d["items"] if i["status"] == "skipped"
                  and i["kind"] != "quality")
    assert skipped < rerun < 60  # what failed or was skipped (and the failed model's parents), not all 140
    dbt_nodes = [{i["key"] for d in run["domains"].values() for i in d["items"]
                  if i["kind"] in ("seed", "model", "test")} for run in (summary, resumed)]
    assert dbt_nodes[0] == dbt_nodes[1] and len(dbt_nodes[1]) == 150  # the rest carried over
    assert {i["status"] for d in resumed["domains"].values() for i in d["items"]} == {"passed"}
    assert products(project_copy) == products(built_mesh[0])


def test_a_planted_quality_failure_fails_the_night_and_is_named(project_copy):
    suite = project_copy / "models" / "funding" / "marts" / "advances.quality.yml"
    suite.write_text(suite.read_text() + "  - type: expect_table_row_count_to_be_between\n"
                                         "    kwargs: {min_value: 1, max_value: 10}\n")
    assert nightly(project_copy) == 1
    folder, summary = last_run(project_copy)
    assert summary["domains"]["funding"]["status"] == "failed"
    failed = [item for item in items(summary, "funding") if item["status"] == "failed"]
    assert [(item["kind"], item["name"]) for item in failed] == \
        [("quality", "advances: expect_table_row_count_to_be_between(min_value=1, max_value=10)")]
    assert failed[0]["message"] == "observed 152"
    others = {name: d["status"] for name, d in summary["domains"].items() if name != "funding"}
    assert set(others.values()) == {"passed"}
    markdown = (folder / "summary.md").read_text()
    assert "quality `advances: expect_table_row_count_to_be_between(min_value=1, max_value=10)` failed" in markdown
    cases = ET.parse(folder / "junit.xml").getroot().findall(".//testcase[@classname='funding.quality']")
    assert [case.get("name") for case in cases if case.find("failure") is not None] == [failed[0]["name"]]


def start_nightly(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-u", "-m", "mesh_platform", "nightly", "--project-dir", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_a_second_run_is_refused_while_the_first_holds_the_warehouse(project_copy, built_mesh, capsys):
    copy_masking_key(built_mesh[0], project_copy)
    lock = project_copy / "warehouse" / "mesh.duckdb.lock"
    first = start_nightly(project_copy)
    try:
        deadline = time.monotonic() + 60
        while not (lock.is_file() and lock.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert nightly(project_copy) == 2
        assert main(["build", "--quiet", "--project-dir", str(project_copy)]) == 2
        err = capsys.readouterr().err
        assert err.count(f"in use by `mesh nightly` (pid {first.pid} ") == 2
    finally:
        output, _ = first.communicate(timeout=300)
    assert first.returncode == 0, output
    runs = [path for path in (project_copy / "target" / "nightly").iterdir() if path.is_dir()]
    assert len(runs) == 1  # the refused runs left nothing behind
    assert products(project_copy) == products(built_mesh[0])


def test_a_run_killed_mid_build_completes_when_run_again(project_copy, built_mesh, capsys):
    copy_masking_key(built_mesh[0], project_copy)
    run = start_nightly(project_copy)
    building = False
    for line in run.stdout:
        building = building or line.startswith("Building models and tests")
        if building and line.startswith("[ 40/"):
            break
    run.send_signal(signal.SIGKILL)
    run.wait()
    killed_id = (project_copy / "target" / "nightly" / "LATEST").read_text().strip()
    assert not (project_copy / "target" / "nightly" / killed_id / "summary.json").exists()

    assert nightly(project_copy, "--resume") == 0

    out = capsys.readouterr().out
    assert f"The last run {killed_id} did not finish: running the whole nightly." in out
    assert f"Took over the warehouse lock left by `mesh nightly` (pid {run.pid} " in out
    assert last_run(project_copy)[1]["status"] == "passed"
    assert products(project_copy) == products(built_mesh[0])
