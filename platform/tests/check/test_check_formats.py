"""The report formats: JSON, JUnit, SARIF and GitHub annotations carry every open finding."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from fixture_manifests import manifest, model

from mesh_platform.check import formats
from mesh_platform.check.config import CheckConfig
from mesh_platform.check.context import CheckContext
from mesh_platform.check.engine import run_check

DATA = manifest(model("stg_bad", "sales"), model("fine", "ops"))


def result():
    return run_check(CheckContext(DATA), CheckConfig(severities={"TST001": "warn"}), set(),
                     today=dt.date(2026, 11, 23))


def test_json_has_summary_findings_and_coverage():
    data = json.loads(formats.to_json(result()))
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 2
    assert {f["rule"] for f in data["findings"]} == {"LAY001", "TST001"}
    assert data["coverage"] == {"ops": {"tested_models": 0, "models": 1}, "sales": {"tested_models": 0, "models": 1}}


@pytest.mark.parametrize("data", [{"plain": ["ascii", 1, None, True]},
                                  {"domäne": "Zoë's café ☕", "astral": "𝔐 data", "quote": '"\\/'}])
def test_json_text_is_exactly_what_the_standard_library_writes(data):
    assert formats.dumps(data) == json.dumps(data, indent=2)


def test_junit_fails_only_on_errors():
    root = ElementTree.fromstring(formats.to_junit(result()))
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert suites["sales"].get("failures") == "1" and suites["ops"].get("failures") == "0"
    assert [f.get("type") for f in root.iter("failure")] == ["LAY001"]


def test_sarif_lists_rules_and_results_with_locations():
    data = json.loads(formats.to_sarif(result()))
    assert data["version"] == "2.1.0"
    run = data["runs"][0]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"LAY001", "TST001", "PII001"}
    levels = sorted((r["ruleId"], r["level"]) for r in run["results"])
    assert levels == [("LAY001", "error"), ("TST001", "warning"), ("TST001", "warning")]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("models/")


def test_github_annotations():
    lines = formats.to_github(result()).splitlines()
    assert lines[0].startswith("::error file=models/sales/marts/stg_bad.sql,title=LAY001::")
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert lines[-1] == ("mesh check: 1 error(s), 2 warning(s); 0 waived, 0 baselined; 28 rules; "
                         "not run without compiled SQL: ACC002, PII002")  # a parse-only manifest


def test_rules_that_judge_compiled_sql_are_said_not_run_on_a_parse():
    parsed = result()
    assert parsed.not_run == ["ACC002", "PII002"]
    assert formats.summary_line(parsed).endswith("; not run without compiled SQL: ACC002, PII002")
    assert json.loads(formats.to_json(parsed))["not_run"] == ["ACC002", "PII002"]
    compiled = manifest(model("fine", "ops", compiled_code="select 1 as id"))
    assert run_check(CheckContext(compiled), CheckConfig(), set()).not_run == []
