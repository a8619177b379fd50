"""mesh.yml, waivers, severities and the baseline: what passes, and each mistake as one clear error."""

import datetime as dt
import json

import pytest
from fixture_manifests import manifest, model

from mesh_platform.check.baseline import read_baseline, write_baseline
from mesh_platform.check.config import load_config
from mesh_platform.check.context import CheckContext
from mesh_platform.check.engine import run_check
from mesh_platform.check.registry import all_rules
from mesh_platform.errors import MeshError

CODES = set(all_rules())
TODAY = dt.date(2026, 11, 23)
# stg_* in marts/ breaks LAY001 and has no test (TST001); in `ops` it is protected and used by sales (ACC001)
DATA = manifest(model("stg_bad", "sales"), model("orders", "ops", parents=["model.p.stg_bad"]))


def configured(tmp_path, text: str):
    (tmp_path / "mesh.yml").write_text(text)
    return load_config(tmp_path, CODES)


def check(tmp_path, text: str = "", baseline=frozenset()):
    config = configured(tmp_path, text) if text else load_config(tmp_path, CODES)
    return run_check(CheckContext(DATA, None), config, set(baseline), today=TODAY)


def codes(result, status="open"):
    return sorted((f.violation.code, f.severity) for f in result.findings if f.status == status)


def test_without_config_every_rule_runs_at_its_default(tmp_path):
    result = check(tmp_path)
    assert codes(result) == [("ACC001", "error"), ("LAY001", "error"), ("TST001", "error"), ("TST001", "error")]
    assert result.exit_code == 1


def test_severities_and_domain_overrides(tmp_path):
    result = check(tmp_path, "rules: {TST001: warn, LAY001: off}\ndomains: {ops: {rules: {TST001: error}}}\n")
    assert codes(result) == [("ACC001", "error"), ("TST001", "error"), ("TST001", "warn")]
    only_warnings = check(tmp_path, "rules: {TST001: warn, LAY001: off, ACC001: warn}\n")
    assert only_warnings.exit_code == 0 and only_warnings.findings


def test_a_waiver_with_a_reason_silences_its_rule_on_its_nodes(tmp_path):
    result = check(tmp_path,
                   "waivers:\n  - {rule: LAY001, node: 'stg_*', reason: being renamed, expires: 2027-01-01}\n")
    assert ("LAY001", "error") not in codes(result)
    assert [(f.violation.code, f.reason) for f in result.findings if f.status == "waived"] == [
        ("LAY001", "being renamed")]


def test_an_expired_waiver_is_an_error_and_no_longer_waives(tmp_path):
    result = check(tmp_path, "waivers:\n  - {rule: LAY001, node: stg_bad, reason: later, expires: 2026-01-31}\n")
    assert ("WAIVER", "error") in codes(result) and ("LAY001", "error") in codes(result)
    expired = next(f for f in result.findings if f.violation.code == "WAIVER")
    assert "expired on 2026-01-31" in expired.violation.message


def test_the_baseline_keeps_old_violations_quiet_and_reports_the_fixed_ones(tmp_path):
    fresh = check(tmp_path)
    path = tmp_path / "mesh-baseline.json"
    assert write_baseline(path, [f.violation for f in fresh.findings]) == 4
    baseline = read_baseline(path) | {"TST001:model.p.gone"}
    result = check(tmp_path, baseline=baseline)
    assert result.exit_code == 0 and len(codes(result, "baselined")) == 4
    assert result.stale_baseline == ["TST001:model.p.gone"]
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("text, message", [
    ("rulez: {}\n", "mesh.yml: unknown key rulez (known: baseline, domains, notify, projects, rules, waivers)"),
    ("rules: {XYZ999: warn}\n", "mesh.yml rules: unknown rule code XYZ999"),
    ("rules: {TST001: loud}\n", "mesh.yml rules.TST001: severity 'loud' is not one of error, warn, off"),
    ("domains: {ops: {severity: {}}}\n", "mesh.yml domains.ops: unknown key severity"),
    ("waivers:\n  - {rule: TST001, node: x, expires: 2027-01-01}\n", "mesh.yml waivers[0]: missing reason"),
    ("waivers:\n  - {rule: TST001, node: x, reason: r, expires: soon}\n", "expires must be a date like 2027-06-30"),
    ("waivers:\n  - {rule: TST001, node: x, reason: r, expires: 2027-01-01, until: x}\n",
     "mesh.yml waivers[0]: unknown key until"),
    ("waivers:\n  - {rule: TST001, node: x, reason: r, expires: 2027-13-45}\n",
     "expires must be a date like 2027-06-30"),
    ("waivers:\n  - {rule: TST001, node: x, reason: r, expires: 2027-06-30 10:00:00}\n", "not a time of day"),
    ("waivers: {rule: TST001}\n", "mesh.yml waivers: expected a list, got a mapping"),
    ("rules: &r {TST001: warn}\ndomains: {ops: {rules: *r}}\n", "aliases (*name) are not allowed"),
    ("rules: [\n", "mesh.yml line 2: not valid YAML"),
    ("- a list\n", "mesh.yml: expected a mapping"),
])
def test_config_mistakes_are_one_clear_line(tmp_path, text, message):
    with pytest.raises(MeshError) as caught:
        configured(tmp_path, text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_an_unreadable_baseline_is_refused(tmp_path):
    path = tmp_path / "mesh-baseline.json"
    path.write_text(json.dumps({"something": "else"}))
    with pytest.raises(MeshError, match="not a baseline written by `mesh check --write-baseline`"):
        read_baseline(path)
    assert read_baseline(tmp_path / "none.json") == set()


def test_a_rule_off_everywhere_does_not_run(tmp_path):
    config = configured(tmp_path, "rules: {TST001: 'off'}\ndomains: {ops: {rules: {LAY001: 'off'}}}\n")
    assert config.off_everywhere("TST001", "error")
    assert not config.off_everywhere("LAY001", "error")  # still on outside ops
    reenabled = configured(tmp_path, "rules: {TST001: 'off'}\ndomains: {ops: {rules: {TST001: warn}}}\n")
    assert not reenabled.off_everywhere("TST001", "error")


def test_a_baselined_violation_switched_off_is_not_reported_as_fixed(tmp_path):
    baseline = {f.violation.key for f in check(tmp_path).findings}
    result = check(tmp_path, "rules: {TST001: 'off'}\ndomains: {sales: {rules: {LAY001: 'off'}}}\n", baseline)
    assert result.stale_baseline == []
    assert check(tmp_path, "", baseline | {"LAY001:model.p.renamed"}).stale_baseline == ["LAY001:model.p.renamed"]


@pytest.mark.parametrize("expires, given", [("2027-13-45", "2027-13-45"),
                                            ("2027-06-30 10:00:00", "2027-06-30 10:00:00"),
                                            ("2027-06-30T10:00:00+02:00", "2027-06-30 10:00:00+02:00")])
def test_a_bad_waiver_expiry_names_the_file_the_waiver_and_the_fix(tmp_path, capsys, expires, given):
    """Through the command: one line (exit 2), never an unexpected ValueError or TypeError."""
    from mesh_platform.cli import main

    (tmp_path / "dbt_project.yml").write_text("name: p\nversion: '1'\nconfig-version: 2\nprofile: p\n")
    (tmp_path / "manifest.json").write_text(json.dumps(DATA))
    waiver = "waivers:\n  - {rule: TST001, node: stg_bad, reason: being renamed, expires: %s}\n"
    (tmp_path / "mesh.yml").write_text(waiver % "2027-06-30")
    args = ["check", "--manifest", str(tmp_path / "manifest.json"), "--project-dir", str(tmp_path)]
    assert main(args) == 1  # a good expiry: the waiver is read (the other violations fail the check)
    capsys.readouterr()
    (tmp_path / "mesh.yml").write_text(waiver % expires)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == (f"mesh: mesh.yml waivers[0] (TST001 on stg_bad): expires '{given}' is not a day; expires must be "
                   f"a date like 2027-06-30 (a day, not a time of day)\n")
