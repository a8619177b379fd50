"""datacontract-cli's `test` on every exported contract against the built DuckDB warehouse: each names its
server and table as the tool reads them, every check passes, the suite's expectations run as SQL and library
rules, and planted faults (rows breaking a rule, a column of another type) fail the run.

datacontract-cli lives in a venv of its own (`make datacontract`; `make test` installs it and names it in
MESH_DATACONTRACT): it needs a duckdb the platform does not pin."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_with_parse_state, execute

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

DEFAULT_CLI = REPO / ".venv-datacontract" / "bin" / "datacontract"


@pytest.fixture(scope="module")
def datacontract() -> Path:
    """The datacontract-cli executable; a failure, not a skip, when it is not installed."""
    cli = Path(os.environ.get("MESH_DATACONTRACT") or DEFAULT_CLI)
    if not os.access(cli, os.X_OK):
        pytest.fail(f"datacontract-cli is not installed at {cli}: `make datacontract` installs it into "
                    f".venv-datacontract (`make test` does so first)")
    return cli


def run_test(cli: Path, root: Path, contract: Path) -> tuple[int, dict]:
    """`datacontract test` on one contract from the project root (the contract's DuckDB path is the profile's,
    relative to it): its exit code and JSON report."""
    report = contract.with_suffix(".result.json")
    done = subprocess.run([str(cli), "test", str(contract), "--output-format", "json", "--output", str(report)],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert report.is_file(), done.stdout + done.stderr
    return done.returncode, json.loads(report.read_text())


def export(root: Path, folder: Path) -> dict[str, Path]:
    assert main(["contract", "export", "--all", "--output", str(folder), "--project-dir", str(root)]) == 0
    return {path.name.removesuffix(".odcs.yaml"): path for path in sorted(folder.glob("*.odcs.yaml"))}


def derived_rules(contract: Path) -> int:
    """How many rules of the contract the export derived from the suite's expectations."""
    return json.dumps(yaml.safe_load(contract.read_text())).count('"derivedFrom"')


@pytest.fixture(scope="module")
def reports(built_mesh, tmp_path_factory, datacontract):
    """Every product's contract exported from a copy of the built mesh, and datacontract-cli's report on it."""
    root = tmp_path_factory.mktemp("datacontract") / "mesh"
    copy_with_parse_state(built_mesh[0], root)
    contracts = export(root, root.parent / "contracts")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = pool.map(lambda path: run_test(datacontract, root, path), contracts.values())
        results = dict(zip(contracts, runs, strict=True))
    return contracts, results


def test_every_exported_contract_passes_datacontract_cli(reports):
    contracts, results = reports
    assert len(contracts) >= 16
    for name, (code, report) in results.items():
        failing = [(check["name"], check["result"], check.get("reason")) for check in report["checks"]
                   if check["result"] != "passed"]
        assert (code, report["result"], failing) == (0, "passed", []), name
        assert len(report["checks"]) >= 10, name  # schema, types, required, unique, quality: never nothing
    counts = {name: len(report["checks"]) for name, (_, report) in results.items()}
    print("datacontract-cli checks per product:", counts)
    assert counts["advances"] == 42  # 37 of the dbt contract, 5 of the quality suite


def test_the_suites_expectations_run_as_checks(reports):
    contracts, results = reports
    for name, (_, report) in results.items():
        run = [check for check in report["checks"] if "derivedFrom" in (check.get("qualityDefinition") or "")]
        assert len(run) == derived_rules(contracts[name]), name
    suites = [yaml.safe_load(path.read_text()) for path in REPO.glob("models/*/marts/*.quality.yml")]
    assert sum(derived_rules(path) for path in contracts.values()) == \
        sum(len(suite["expectations"]) for suite in suites) == 20  # every rule of the reference suites maps
    advances = {check["name"]: check["result"] for check in results["advances"][1]["checks"]}
    assert advances["Risk policy prices advances between 1.0x and 1.5x."] == "passed"


def test_planted_faults_fail_datacontract_cli(built_copy, datacontract):
    execute(built_copy, "update funding.advances_v1 set factor_rate = 1.6 where advance_id = 'ADV00001'")
    execute(built_copy, "update funding.advances_v1 set total_repayable = funded_amount - 1 "
                        "where advance_id = 'ADV00002'")
    execute(built_copy, "alter table funding.advances_v1 alter cohort_month type timestamp")
    contracts = export(built_copy, built_copy.parent / "contracts")
    code, report = run_test(datacontract, built_copy, contracts["advances"])
    failed = {(check["field"], check["type"], check["name"]) for check in report["checks"]
              if check["result"] != "passed"}
    assert code != 0 and report["result"] == "failed"
    # factor_rate 1.6 keeps the check constraint (>= 1) but breaks the suite's range; the pair rule; the type
    assert failed == {("factor_rate", "field_quality_sql", "Risk policy prices advances between 1.0x and 1.5x."),
                      (None, "model_quality_sql", "expect_column_pair_values_a_to_be_greater_than_b(total_repayable, "
                                                  "column_A=total_repayable, column_B=funded_amount, or_equal=True)"),
                      ("cohort_month", "field_type", "Check that field cohort_month has type date")}
