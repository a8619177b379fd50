"""`mesh handover` on copies of the reference mesh: the commissions move from legacy to partners, and
every bad request is refused with one line and the tree unchanged."""

import pytest

from conftest import tree_hash
from mesh_platform.cli import main

pytestmark = pytest.mark.integration
COMMISSIONS = ["legacy_partner_commissions", "int_advances_joined_to_partners",
               "stg_legacy_dwh__partner_commission_rates"]
RENAME = ["--rename", "legacy_partner_commissions=partner_commissions"]


def handover(root, *args) -> int:
    return main(["handover", "--project-dir", str(root), *args])


def test_the_commissions_move_to_partners_with_their_yaml_refs_and_log(project_copy, capsys):
    intermediate = project_copy / "models/partners/intermediate/_partners__intermediate.yml"
    before = intermediate.read_bytes()
    product_yml = (project_copy / "models/legacy/marts/legacy_partner_commissions.yml").read_text()

    assert handover(project_copy, *COMMISSIONS, "--to", "partners", *RENAME, "--reason", "partner data") == 0

    partners = project_copy / "models" / "partners"
    assert (partners / "marts/partner_commissions.sql").is_file()
    assert (partners / "marts/partner_commissions.yml").read_text() == \
        product_yml.replace("- name: legacy_partner_commissions", "- name: partner_commissions")
    assert intermediate.read_bytes().startswith(before)  # partners' own entries: byte for byte
    assert "- name: int_advances_joined_to_partners" in intermediate.read_text()[len(before):]
    assert (partners / "staging/legacy_dwh/_legacy_dwh__sources.yml").is_file()  # only they read that source
    assert not (project_copy / "models/legacy/staging").exists()
    assert not (project_copy / "models/legacy/intermediate").exists()
    assert "ref('partner_commissions')" in (project_copy / "models/analytics/marts/partner_performance.sql").read_text()
    log = (project_copy / "ownership-log.csv").read_text().splitlines()
    assert log[0] == "date,model,new_name,from_domain,to_domain,sql_lines,reason"
    assert [row.split(",")[1:5] for row in log[1:]] == [
        ["legacy_partner_commissions", "partner_commissions", "legacy", "partners"],
        ["int_advances_joined_to_partners", "int_advances_joined_to_partners", "legacy", "partners"],
        ["stg_legacy_dwh__partner_commission_rates", "stg_legacy_dwh__partner_commission_rates", "legacy", "partners"]]
    out = capsys.readouterr().out
    assert "Consumers: partner_performance (analytics, Insights @lender/insights)" in out
    assert "warning: source disbursements" in out  # the intermediate model still reads funding's raw data


def test_a_dry_run_prints_the_plan_and_changes_nothing(project_copy, capsys):
    before = tree_hash(project_copy)
    assert handover(project_copy, *COMMISSIONS, "--to", "partners", *RENAME, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "move models/legacy/marts/legacy_partner_commissions.sql -> models/partners/marts/partner_commissions.sql" in out
    assert "Dry run" in out and tree_hash(project_copy) == before


@pytest.mark.parametrize("args, message", [
    (["nope_model", "--to", "partners"], "unknown model 'nope_model'"),
    (["legacy_partner_commissions", "--to", "nowhere"], "unknown domain 'nowhere'"),
    (["partners", "--to", "partners"], "partners already belongs to partners"),
    (["legacy_partner_commissions", "--to", "partners", "--rename", "advances"],
     "cannot rename legacy_partner_commissions to advances: a model of that name already exists (funding)"),
    (["int_advances_joined_to_partners", "--to", "partners"],
     "legacy_partner_commissions (legacy) uses int_advances_joined_to_partners, which would be private in partners"),
    (["legacy_partner_commissions", "--to", "partners"],
     "legacy_partner_commissions would use int_advances_joined_to_partners of domain legacy, which is private"),
    (COMMISSIONS + ["--to", "partners", "--rename", "x"], "with several models, say which one"),
])
def test_a_bad_request_is_refused_with_one_line_and_nothing_changed(project_copy, capsys, args, message):
    before = tree_hash(project_copy)
    assert handover(project_copy, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert tree_hash(project_copy) == before


def test_a_yaml_file_that_does_not_parse_is_named_and_nothing_changed(project_copy, capsys):
    broken = project_copy / "models/partners/marts/partners.yml"
    broken.write_text(broken.read_text() + "  - name: [unclosed\n")
    before = tree_hash(project_copy)
    assert handover(project_copy, *COMMISSIONS, "--to", "partners") == 2
    assert "models/partners/marts/partners.yml is not valid YAML" in capsys.readouterr().err
    assert tree_hash(project_copy) == before
