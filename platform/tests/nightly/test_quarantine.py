"""A domain dbt cannot parse is left out: the others build, it is reported failed with its file, the domains
that read it blocked; a parse error outside every domain still stops the run in one line."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import query, tree_hash

from mesh_platform.cli import main
from mesh_platform.project import Project
from mesh_platform.quarantine import BLOCKED, FAILED, QuarantinedDomain, domain_of_file, quarantine_for

COMMISSIONS_YML = Path("models/partners/marts/partner_commissions.yml")
BROKEN_YAML = "models:\n  - name: partner_commissions\n    description: >- : : [\n"


def break_partners(root: Path) -> None:
    (root / COMMISSIONS_YML).write_text(BROKEN_YAML)


def summary_of(root: Path) -> dict:
    nightly = root / "target" / "nightly"
    return json.loads((nightly / (nightly / "LATEST").read_text().strip() / "summary.json").read_text())


@pytest.mark.integration
def test_a_yaml_typo_in_one_domain_leaves_it_out_and_the_others_build(built_copy, capsys):
    break_partners(built_copy)
    before = tree_hash(built_copy)
    notes = built_copy.parent / "notes"
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy), "--notify-dir", str(notes)]) == 1
    out = capsys.readouterr().out
    assert (f"Left out partners: dbt could not parse {COMMISSIONS_YML}: not valid YAML: "
            f"partners/marts/partner_commissions.yml line 3: while scanning a block scalar; did not find expected "
            f"comment or line break") in out
    domains = summary_of(built_copy)["domains"]
    status = {name: domain["status"] for name, domain in domains.items()}
    # analytics and legacy read partners' products and sources: left out too, blocked by it
    assert status == {"analytics": "blocked", "collections": "passed", "funding": "passed", "legacy": "blocked",
                      "merchants": "passed", "partners": "failed", "underwriting": "passed", "(project)": "passed"}
    for name in ("collections", "funding", "merchants", "underwriting"):  # built, tested and validated
        counts = domains[name]["counts"]
        assert counts["model"]["passed"] >= 3 and counts["test"]["passed"] and counts["quality"]["passed"]
    parse = [item for item in domains["partners"]["items"] if item["kind"] == "parse"]
    assert [(item["status"], item["path"]) for item in parse] == [("failed", str(COMMISSIONS_YML))]
    assert "partner_commissions.yml line 3: while scanning a block scalar" in parse[0]["message"]
    assert domains["partners"]["team_handle"] == "@lender/partner-integrations"  # read from its group's YAML
    assert "reads a model of partners" in domains["analytics"]["items"][0]["message"]
    assert sorted(path.name for path in notes.iterdir()) == ["analytics.md", "legacy.md", "partners.md"]
    assert "reads a model of partners, which could not be parsed" in (notes / "analytics.md").read_text()
    note = (notes / "partners.md").read_text()
    assert note.startswith("To: Partner Integrations <partner-integrations@lender.example>")
    assert str(COMMISSIONS_YML) in note and "left out of the run" in note
    assert tree_hash(built_copy) == before  # the project's .dbtignore and files are untouched
    # the left-out domains' tables are theirs still: the orphans step does not touch their schemas
    assert query(built_copy, "select count(*) from partners.partner_commissions_v1")[0][0] > 0
    assert query(built_copy, "select count(*) from analytics.funnel_v1")[0][0] > 0

    (built_copy / COMMISSIONS_YML).write_text((Path(__file__).parents[3] / COMMISSIONS_YML).read_text())
    assert main(["nightly", "--resume", "--quiet", "--project-dir", str(built_copy)]) == 0
    assert {domain["status"] for domain in summary_of(built_copy)["domains"].values()} == {"passed"}


@pytest.mark.integration
def test_mesh_build_of_another_domain_goes_on_and_of_the_broken_one_is_refused(built_copy, capsys):
    break_partners(built_copy)
    assert main(["build", "--domain", "merchants", "--quiet", "--project-dir", str(built_copy)]) == 0
    out = capsys.readouterr().out
    assert "Left out partners: dbt could not parse" in out and "no failures" in out
    assert main(["build", "--domain", "partners", "--quiet", "--project-dir", str(built_copy)]) == 1
    assert capsys.readouterr().err == f"mesh: partners was left out: dbt could not parse {COMMISSIONS_YML}\n"


@pytest.mark.integration
def test_a_parse_error_outside_every_domain_stops_in_one_line(built_copy, capsys):
    (built_copy / "macros" / "broken.sql").write_text("{% macro broken( %}\n")
    assert main(["build", "--quiet", "--project-dir", str(built_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mesh: dbt could not parse the project: ") and err.count("\n") == 1
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) == 1
    steps = {step["name"]: step for step in summary_of(built_copy)["steps"]}
    assert steps["parse"]["status"] == "error" and "could not parse" in steps["parse"]["detail"]


def yaml_error(path: str) -> Exception:
    """dbt's YamlLoadError names the file relative to its resource folder."""
    error = Exception(f"Parsing Error Error reading mesh: {path} - Runtime Error Syntax error near line 3")
    error.path = path  # type: ignore[attr-defined]
    return error


def missing_ref(model_path: str, name: str) -> Exception:
    error = Exception(f"Compilation Error Model 'model.mesh.x' ({model_path}) depends on a node named '{name}' "
                      f"which was not found")
    error.node = SimpleNamespace(original_file_path=model_path)  # type: ignore[attr-defined]
    return error


@pytest.fixture
def tree(tmp_path) -> Project:
    for path in ("models/partners/marts/partner_commissions.yml", "models/partners/marts/partner_commissions.sql",
                 "models/analytics/marts/funnel.sql", "models/analytics/marts/typo.sql", "tests/generic/pii.sql",
                 "macros/broken.sql", "seeds/partners/rates.csv"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    return Project(tmp_path)


def test_the_file_dbt_names_gives_the_domain_to_leave_out(tree):
    found = quarantine_for(yaml_error("partners/marts/partner_commissions.yml"), tree, {})
    assert found == QuarantinedDomain("partners", FAILED, "models/partners/marts/partner_commissions.yml",
                                      "Parsing Error Error reading mesh: partners/marts/partner_commissions.yml - "
                                      "Runtime Error Syntax error near line 3")


def test_a_ref_to_a_left_out_domain_blocks_and_a_ref_to_nothing_fails(tree):
    partners = {"partners": QuarantinedDomain("partners", FAILED, "models/partners/marts/x.yml", "")}
    blocked = quarantine_for(missing_ref("models/analytics/marts/funnel.sql", "partner_commissions"), tree, partners)
    assert blocked is not None and (blocked.name, blocked.status, blocked.upstream) == ("analytics", BLOCKED,
                                                                                       "partners")
    typo = quarantine_for(missing_ref("models/analytics/marts/typo.sql", "no_such_model"), tree, partners)
    assert typo is not None and (typo.status, typo.upstream) == (FAILED, None)


def test_files_of_no_domain_are_not_quarantined(tree):
    assert quarantine_for(yaml_error("macros/broken.sql"), tree, {}) is None
    assert quarantine_for(Exception("Compilation Error in test pii (tests/generic/pii.sql)"), tree, {}) is None
    assert quarantine_for(Exception("something went wrong"), tree, {}) is None
    assert domain_of_file("seeds/partners/rates.csv", tree) == "partners"
    assert domain_of_file("tests/generic/pii.sql", tree) is None
    already = {"partners": QuarantinedDomain("partners", FAILED, "models/partners/marts/x.yml", "")}
    assert quarantine_for(yaml_error("partners/marts/partner_commissions.yml"), tree, already) is None


@pytest.mark.integration
def test_a_ref_to_another_domains_private_model_fails_only_that_domain_and_points_to_the_product(built_copy, capsys):
    peek = built_copy / "models" / "funding" / "intermediate" / "int_peek.sql"
    peek.write_text("select * from {{ ref('int_merchants_deduplicated') }}\n")
    assert main(["build", "--domain", "merchants", "--quiet", "--project-dir", str(built_copy)]) == 0
    out = capsys.readouterr().out
    assert ("Left out funding: dbt could not parse models/funding/intermediate/int_peek.sql: Parsing Error Node "
            "model.mesh.int_peek attempted to reference node model.mesh.int_merchants_deduplicated") in out
    assert ("int_merchants_deduplicated is private to merchants; its data is published as merchants (merchants, "
            "owned by Customer <customer-data@lender.example> @lender/customer): ref that instead") in out
    assert "no failures" in out
