"""Typed and imported text is data: the same hostile strings go through every command that takes text
(`mesh domain new`, `mesh product new --from` and `--from-contract`, `mesh handover --reason/--rename`,
`mesh adopt --owner/--email/--team-handle`). Each is either refused in one line (exit 2, the tree unchanged)
or accepted, and then dbt still parses the project and its manifest holds the text exactly as typed (a group
owner `{{ env_var('HOME') }}` is that, not the home folder). Each project is parsed once, after the writes."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import tree_hash

from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.project import Project

pytestmark = pytest.mark.integration

SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "shop"
HOSTILE = {
    "jinja expression": "{{ env_var('HOME') }}",
    "unclosed expression": "{{ unclosed",
    "raw block": "{% raw %}x{% endraw %}",
    "unclosed comment": "{# c",
    "sql": "'; drop table x; --",
    "spreadsheet formula": "=cmd|' /C calc'!A0",
    "newline": "first line\nsecond line",
    "10k characters": "x" * 10_000,
    "rtl override": "abc\u202edcba",
    "script": "</script><script>alert(1)</script>",
}
CASES = sorted(HOSTILE)
# What each kind of field refuses (everything else it must accept and keep as typed)
REFUSED_BY_ONE_LINE = {"newline", "10k characters", "rtl override"}  # owner names, handover reasons
REFUSED_BY_TEXT = {"10k characters", "rtl override"}  # descriptions (several lines are fine)
GOOD = ["--owner", "Support", "--email", "support@lender.example", "--team-handle", "@lender/support"]


def run(root: Path, *args: str, capsys) -> str:
    """'refused' (one line, exit 2, nothing changed) or 'accepted' (exit 0); anything else fails the test."""
    before = tree_hash(root)
    code = main([*args, "--project-dir", str(root)])
    out, err = capsys.readouterr()
    if code == 2:
        assert err.startswith("mesh: ") and err.count("\n") == 1, err
        assert tree_hash(root) == before
        return "refused"
    assert code == 0, err
    return "accepted"


def parsed(root: Path) -> dict:
    """The project parsed once by dbt (it must still parse), as the manifest.json it writes."""
    session = DbtSession(Project(root))
    session.manifest()
    assert not session.quarantined
    return json.loads((root / "target" / "manifest.json").read_text(encoding="utf-8"))


def expected(refused: set[str]) -> dict[str, str]:
    return {case: "refused" if case in refused else "accepted" for case in CASES}


def test_domain_new_keeps_owner_and_description_as_typed(project_copy, capsys):
    owners = {case: run(project_copy, "domain", "new", f"owner_{i}", "--owner", HOSTILE[case], *GOOD[2:],
                        capsys=capsys) for i, case in enumerate(CASES)}
    about = {case: run(project_copy, "domain", "new", f"about_{i}", *GOOD, "--description", HOSTILE[case],
                       capsys=capsys) for i, case in enumerate(CASES)}
    for flag in ("--email", "--team-handle"):
        for case in CASES:
            args = [*GOOD]
            args[args.index(flag) + 1] = HOSTILE[case]
            assert run(project_copy, "domain", "new", "never", *args, capsys=capsys) == "refused", (flag, case)
    assert owners == expected(REFUSED_BY_ONE_LINE)
    assert about == expected(REFUSED_BY_TEXT)
    groups = parsed(project_copy)["groups"]
    for i, case in enumerate(CASES):
        if owners[case] == "accepted":
            assert groups[f"group.mesh.owner_{i}"]["owner"]["name"] == HOSTILE[case]
        if about[case] == "accepted":
            assert groups[f"group.mesh.about_{i}"]["description"] == HOSTILE[case]
    readme = (project_copy / "models" / f"about_{CASES.index('unclosed expression')}" / "README.md").read_text()
    assert "{% raw %}{{ unclosed{% endraw %}" in readme  # docs dbt reads: escaped, so the parse above held


def test_product_new_keeps_descriptions_as_typed(project_copy, capsys):
    """The CLI refuses a description before dbt runs; what it accepts is written by the same writer as here
    (plan_product: describing MODEL needs a built warehouse, which this test does without)."""
    from mesh_platform.scaffold.product import NewProduct, ProductColumn, plan_product

    outcomes = {case: run(project_copy, "product", "new", "funding", f"hostile_{i}", "--from", "int_advances_priced",
                          "--key", "advance_id", "--description", HOSTILE[case], capsys=capsys)
                for i, case in enumerate(CASES) if case in REFUSED_BY_TEXT}
    assert set(outcomes.values()) == {"refused"}
    session = DbtSession(Project(project_copy))
    for i, case in enumerate(CASES):
        column = ProductColumn("advance_id", "varchar", HOSTILE[case], "advance_id")
        product = NewProduct("funding", f"hostile_{i}", "int_advances_priced", "advance_id", HOSTILE[case], (column,))
        plan_product(session, product).apply()
    nodes = parsed(project_copy)["nodes"]
    for i, case in enumerate(CASES):
        node = nodes[f"model.mesh.hostile_{i}.v1"]
        assert node["description"] == HOSTILE[case]
        assert node["columns"]["advance_id"]["description"] == HOSTILE[case]


def test_product_new_from_contract_keeps_every_text_as_typed(project_copy, capsys, tmp_path):
    """Status, descriptions, SLA values and quality notes of an imported ODCS contract."""
    from mesh_platform.contracts.importer import read_contract
    from mesh_platform.domain_files import declared_domains
    from mesh_platform.scaffold.from_contract import plan_from_contract

    exported = tmp_path / "advances.yaml"
    assert main(["contract", "export", "advances", "--output", str(exported), "--project-dir", str(project_copy)]) == 0
    original = yaml.safe_load(exported.read_text())
    funding = declared_domains(project_copy)["funding"]
    for i, case in enumerate(CASES):
        contract = copy.deepcopy(original)
        text = HOSTILE[case]
        contract["status"] = contract["schema"][0]["description"] = text
        contract["schema"][0]["properties"][1]["description"] = text
        contract["slaProperties"][0]["value"] = contract["slaProperties"][1]["value"] = text
        contract["schema"][0]["quality"][0]["description"] = text
        path = tmp_path / f"hostile_{i}.yaml"
        path.write_text(yaml.safe_dump(contract, allow_unicode=True))
        if i == 0:  # once through the command, the others through the same core functions (one parse in all)
            assert run(project_copy, "product", "new", "funding", f"hostile_{i}", "--from-contract", str(path),
                       capsys=capsys) == "accepted"
        else:
            plan_from_contract(project_copy, funding, f"hostile_{i}", read_contract(path, path.name)).apply()
    nodes = parsed(project_copy)["nodes"]
    for i, case in enumerate(CASES):
        node, text = nodes[f"model.mesh.hostile_{i}.v1"], HOSTILE[case]
        assert node["description"] == text and node["columns"]["application_id"]["description"] == text
        assert node["meta"]["status"] == text
        assert node["meta"]["sla"]["refresh"] == text and node["meta"]["sla"]["available_by"] == text
        suite = yaml.safe_load((project_copy / "models/funding/marts" / f"hostile_{i}.quality.yml").read_text())
        assert suite["expectations"][0]["notes"] == text


@pytest.fixture(scope="module")
def adopted_shop(tmp_path_factory) -> Path:
    root = Path(shutil.copytree(SHOP, tmp_path_factory.mktemp("shop") / "shop"))
    assert main(["adopt", str(root)]) == 0
    for domain in ("payments", "billing"):
        assert main(["domain", "new", domain, *GOOD, "--project-dir", str(root)]) == 0
    return root


MOVED = ("stg_payments", "payment_methods")


def test_handover_keeps_the_reason_as_typed_and_refuses_bad_names(adopted_shop, tmp_path, capsys):
    from mesh_platform.ownership_log import LOG_FILE, read_log

    root = Path(shutil.copytree(adopted_shop, tmp_path / "shop", ignore=shutil.ignore_patterns("target", "logs")))
    for case in CASES:
        assert run(root, "handover", *MOVED, "--to", "payments", "--rename", f"stg_payments={HOSTILE[case]}",
                   capsys=capsys) == "refused", case
    outcomes, to = {}, "payments"
    for case in CASES:  # back and forth between two new domains
        outcomes[case] = run(root, "handover", *MOVED, "--to", to, "--reason", HOSTILE[case], capsys=capsys)
        to = {"payments": "billing", "billing": "payments"}[to] if outcomes[case] == "accepted" else to
    assert outcomes == expected(REFUSED_BY_ONE_LINE)
    accepted = [HOSTILE[case] for case in CASES if outcomes[case] == "accepted"]
    reasons = [change.reason for change in read_log(root) if change.model == "stg_payments"]
    assert reasons[-len(accepted):] == accepted
    assert ",'=cmd|" in (root / LOG_FILE).read_text()  # a spreadsheet shows it as text, never runs it
    parsed(root)


@pytest.mark.parametrize("case", CASES)
def test_adopt_keeps_the_owner_as_typed(tmp_path, capsys, case):
    root = Path(shutil.copytree(SHOP, tmp_path / "shop"))
    for flag in ("--email", "--team-handle"):
        assert run(root, "adopt", str(root), flag, HOSTILE[case], capsys=capsys) == "refused"
    outcome = run(root, "adopt", str(root), "--owner", HOSTILE[case], capsys=capsys)
    assert outcome == expected(REFUSED_BY_ONE_LINE)[case]
    if outcome == "accepted":  # adopt compiled the project: its manifest is the one dbt wrote
        manifest = json.loads((root / "target" / "manifest.json").read_text())
        assert manifest["groups"]["group.shop.legacy"]["owner"]["name"] == HOSTILE[case]
