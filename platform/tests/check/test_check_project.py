"""`mesh check` on real copies of the project: the reference mesh passes; each rule catches a planted fault."""

import json
import shutil

import pytest
from conftest import copy_project

from mesh_platform.cli import main

pytestmark = pytest.mark.integration


def write(root, path, text):
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def run_check(capsys, *args) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


FUNDED_MERCHANTS_YML = """models:
  - name: funded_merchants
    access: public
"""
MERCHANT_CONTACTS_YML = """models:
  - name: merchant_contacts
    description: Contact details.
    access: public
    columns:
      - {name: merchant_id, description: Merchant.}
      - {name: email, description: E-mail.}
"""
# rule -> (file to add or change, content, node the finding must name)
FAULTS = {
    "OWN001": ("models/orphan_report.sql", "select 1 as id", "model.mesh.orphan_report"),
    "OWN002": ("models/collections/marts/funding_claims.sql",
               "{{ config(group='funding') }}\nselect advance_id from {{ ref('advances') }}",
               "model.mesh.funding_claims"),
    "ACC001": ("models/analytics/intermediate/int_advances_peeked.sql",
               "select * from {{ ref('advance_notes') }}", "model.mesh.int_advances_peeked"),
    "ACC002": ("models/analytics/intermediate/int_advances_hardcoded.sql",
               "select * from funding.advances_v1", "model.mesh.int_advances_hardcoded"),
    "ACC003": ("models/analytics/staging/crm/stg_crm__merchant_copies.sql",
               "select * from {{ source('crm', 'merchants') }}", "model.mesh.stg_crm__merchant_copies"),
    "LAY001": ("models/funding/intermediate/advances_enriched.sql",
               "select * from {{ ref('int_advances_priced') }}", "model.mesh.advances_enriched"),
    "LAY002": ("models/funding/staging/disbursements/stg_disbursements__advance_copies.sql",
               "select * from {{ ref('stg_disbursements__advances') }}",
               "model.mesh.stg_disbursements__advance_copies"),
    "LAY003": ("models/funding/marts/advances_raw.sql", "select * from {{ source('disbursements', 'advances') }}",
               "model.mesh.advances_raw"),
    "LAY004": ("models/funding/intermediate/int_advances_counted.sql",
               "{{ config(access='protected') }}\nselect count(*) as n from {{ ref('int_advances_priced') }}",
               "model.mesh.int_advances_counted"),
    "LAY005": ("models/collections/intermediate/int_repayments_rebased.sql",
               "select * from {{ ref('repayments') }}", "model.mesh.int_repayments_rebased"),
    "LEG001": ("models/analytics/marts/loan_book_copy.sql", "select * from {{ ref('legacy_loan_book') }}",
               "model.mesh.loan_book_copy"),
    "TST001": ("models/funding/marts/advance_notes.sql",
               "{{ config(access='protected') }}\nselect advance_id from {{ ref('int_advances_priced') }}",
               "model.mesh.advance_notes"),
    "PRD001": ("models/funding/marts/funded_merchants.sql", "select merchant_id from {{ ref('advances') }}",
               "model.mesh.funded_merchants"),
    "PII001": ("models/merchants/marts/merchant_contacts.sql",
               "select merchant_id, email from {{ ref('int_merchants_deduplicated') }}",
               "model.mesh.merchant_contacts"),
}
SAME_NODE = {"PRD002": "PRD001", "PRD003": "PRD001", "PRD004": "PRD001", "PRD005": "PRD001", "PRD006": "PRD001"}


@pytest.fixture(scope="module")
def faulty_report(tmp_path_factory):
    """One copy of the project with every fault planted, checked once (one parse, one compile)."""
    root = copy_project(tmp_path_factory.mktemp("faulty") / "mesh")
    for path, text, _ in FAULTS.values():
        write(root, path, text)
    write(root, "models/funding/marts/funded_merchants.yml", FUNDED_MERCHANTS_YML)
    write(root, "models/merchants/marts/merchant_contacts.yml", MERCHANT_CONTACTS_YML)
    domain_file = root / "models/merchants/_merchants__domain.yml"
    domain_file.write_text(domain_file.read_text().replace('team_handle: "@lender/customer"',
                                                           'team_handle: "customer"'))
    codeowners = root / ".github" / "CODEOWNERS"  # a line added by hand inside the generated block
    codeowners.write_text(codeowners.read_text().replace("# END mesh", "/models/ @someone-by-hand\n# END mesh"))
    code = main(["check", "--format", "json", "--output", str(root / "report.json"), "--project-dir", str(root)])
    return code, json.loads((root / "report.json").read_text())


def test_the_reference_mesh_passes_with_every_waiver_reasoned(project_copy, capsys):
    code, report = run_check(capsys, "--project-dir", str(project_copy))
    assert code == 0, [f["message"] for f in report["findings"] if f["status"] == "open"]
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0
    waived = [f for f in report["findings"] if f["status"] == "waived"]
    assert waived and all(f["waiver_reason"] and f["domain"] == "legacy" for f in waived)
    assert [f for f in report["findings"] if f["status"] == "baselined"] == []  # no domain depends on legacy
    assert all(tested == total for tested, total in
               ((c["tested_models"], c["models"]) for c in report["coverage"].values()))


@pytest.mark.parametrize("code", sorted([*FAULTS, *SAME_NODE, "OWN003", "OWN004"]))
def test_each_rule_catches_its_planted_fault(faulty_report, code):
    exit_code, report = faulty_report
    assert exit_code == 1
    expected = {"OWN003": "group.mesh.merchants", "OWN004": ".github/CODEOWNERS"}.get(code) \
        or FAULTS[SAME_NODE.get(code, code)][2]
    nodes = {f["node"] for f in report["findings"] if f["rule"] == code and f["status"] == "open"}
    assert expected in nodes, (code, nodes)


def test_check_reads_a_given_manifest_without_parsing(project_copy, tmp_path, capsys):
    assert main(["domains", "--project-dir", str(project_copy)]) == 0  # parse once to write a manifest
    capsys.readouterr()
    manifest = tmp_path / "manifest.json"
    shutil.copy(project_copy / "target" / "manifest.json", manifest)
    shutil.rmtree(project_copy / "target")
    code, report = run_check(capsys, "--manifest", str(manifest), "--project-dir", str(project_copy))
    assert not (project_copy / "target").exists()  # nothing parsed or compiled
    assert code == 0 and report["summary"]["errors"] == 0 and report["summary"]["waived"] > 0


def test_a_plain_dbt_project_without_domains_is_checked_not_crashed(tmp_path, capsys):
    write(tmp_path, "dbt_project.yml", "name: shop\nversion: '1.0.0'\nconfig-version: 2\nprofile: shop\n")
    write(tmp_path, "profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: shop.duckdb}\n")
    write(tmp_path, "models/customers.sql", "select 1 as customer_id")
    write(tmp_path, "models/schema.yml", "models:\n  - name: customers\n    columns:\n"
                                         "      - name: customer_id\n        tests: [unique]\n")
    code, report = run_check(capsys, "--project-dir", str(tmp_path))
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["OWN001"]


def test_bad_usage_exits_2(project_copy, capsys):
    (project_copy / "mesh.yml").write_text("rules: {NOPE01: warn}\n")
    assert main(["check", "--project-dir", str(project_copy)]) == 2
    assert capsys.readouterr().err.startswith("mesh: mesh.yml rules: unknown rule code NOPE01")
    assert main(["check", "--manifest", str(project_copy / "missing.json"), "--project-dir", str(project_copy)]) == 2


def test_codeowners_is_regenerated_from_the_groups(project_copy, capsys):
    path = project_copy / ".github" / "CODEOWNERS"
    original = path.read_text()
    assert main(["codeowners", "--check", "--project-dir", str(project_copy)]) == 0
    path.write_text(original.replace("# END mesh", "/models/ @someone\n# END mesh"))  # inside the block
    assert main(["codeowners", "--check", "--project-dir", str(project_copy)]) == 1
    assert main(["codeowners", "--project-dir", str(project_copy)]) == 0
    assert path.read_text() == original
    path.write_text(f"* @lender/everyone\n\n{original}/docs/ @lender/writers\n")  # the owners' own lines
    assert main(["codeowners", "--check", "--project-dir", str(project_copy)]) == 0
