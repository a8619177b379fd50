"""Contract first on a copy of the reference mesh: each product's exported contract scaffolds a new product
(`mesh product new --from-contract`) whose own export is the same contract, which builds with dbt and passes
`mesh check`."""

import json

import duckdb
import pytest
import yaml
from conftest import WAREHOUSE, copy_project, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

HOSTILE = "Draft advances. {{ env_var('HOME') }} {% do run_query('drop table main.canary') %}"


def mesh(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def renamed(contract: dict, old: str, new: str) -> dict:
    """The contract with the product's name (in name, id, dataProduct, schema name and table) replaced."""
    return json.loads(json.dumps(contract).replace(f'"{old}', f'"{new}').replace(f'.{old}', f'.{new}'))


@pytest.fixture(scope="module")
def mesh_copy(tmp_path_factory):
    """The reference mesh, its contracts exported, each imported as <product>_odcs, then exported again."""
    base = tmp_path_factory.mktemp("roundtrip")
    root = copy_project(base / "mesh")
    args = ["--project-dir", str(root)]
    assert main(["contract", "export", "--all", "--output", str(base / "first"), *args]) == 0
    contracts = {path.name.removesuffix(".odcs.yaml"): path for path in sorted((base / "first").glob("*.odcs.yaml"))}
    outputs = {}
    for name, path in contracts.items():
        domain = yaml.safe_load(path.read_text())["domain"]
        assert main(["product", "new", domain, f"{name}_odcs", "--from-contract", str(path), *args]) == 0
        outputs[name] = domain
    assert main(["contract", "export", "--all", "--output", str(base / "again"), *args]) == 0
    return root, base, outputs


def test_every_product_exports_back_as_the_contract_it_was_scaffolded_from(mesh_copy):
    _, base, products = mesh_copy
    assert len(products) >= 16  # every reference product
    for name in products:
        first = yaml.safe_load((base / "first" / f"{name}.odcs.yaml").read_text())
        again = yaml.safe_load((base / "again" / f"{name}_odcs.odcs.yaml").read_text())
        assert again["name"] == f"{name}_odcs" and again["id"] == f"model.mesh.{name}_odcs.v1"
        assert renamed(again, f"{name}_odcs", name) == first, name


def test_the_scaffolded_files_carry_the_dbt_contract_and_the_suite(mesh_copy):
    root = mesh_copy[0]
    marts = root / "models" / "funding" / "marts"
    original = yaml.safe_load((marts / "advances.yml").read_text())["models"][0]
    copy = yaml.safe_load((marts / "advances_odcs.yml").read_text())["models"][0]
    assert [(c["name"], c["data_type"], c.get("constraints")) for c in copy["columns"]] == \
        [(c["name"], c["data_type"], c.get("constraints")) for c in original["columns"]]
    assert copy["columns"][0]["data_tests"] == ["unique", "not_null"]
    granted = {key: value for key, value in original["config"].items() if key != "grants"}  # from agreements
    assert (copy["access"], copy["latest_version"], copy["versions"], copy["config"]) == \
        ("public", 1, [{"v": 1}], granted)
    suite = yaml.safe_load((marts / "advances_odcs.quality.yml").read_text())
    assert suite == yaml.safe_load((marts / "advances.quality.yml").read_text())
    sql = (marts / "advances_odcs.sql").read_text()
    assert "    cast(null as decimal(12, 2)) as funded_amount,\n" in sql and "where false" in sql
    merchants = (root / "models" / "merchants" / "marts" / "merchants_odcs.sql").read_text()
    assert "{{ mask_pii('cast(null as varchar)') }} as email_hash," in merchants


def test_the_scaffolded_products_build_pass_check_and_lint(mesh_copy, capsys):
    root, _, products = mesh_copy
    args = ["--project-dir", str(root)]
    code, out, _ = mesh(capsys, "build", "--select", *(f"{name}_odcs" for name in products), "--quiet", *args)
    assert code == 0 and "no failures" in out
    code, out, _ = mesh(capsys, "check", *args)
    assert code == 0 and "0 error(s)" in out
    code, out, _ = mesh(capsys, "lint", "--domain", "merchants", *args)
    assert code == 0 and "0 violation(s)" in out
    with duckdb.connect(str(root / WAREHOUSE), read_only=True) as connection:
        types = connection.sql("select column_name, data_type from information_schema.columns where table_schema = "
                               "'funding' and table_name = 'advances_odcs_v1' order by ordinal_position").fetchall()
        assert connection.sql("select count(*) from funding.advances_odcs_v1").fetchone() == (0,)
    assert types[0] == ("advance_id", "VARCHAR") and types[7] == ("funded_amount", "DECIMAL(12,2)")


def test_status_and_descriptions_travel_as_typed(mesh_copy, capsys, tmp_path):
    root, base, _ = mesh_copy
    contract = yaml.safe_load((base / "first" / "advances.odcs.yaml").read_text())
    contract["status"] = "proposed"
    contract["description"]["purpose"] = contract["schema"][0]["description"] = HOSTILE
    contract["schema"][0]["properties"][1]["description"] = HOSTILE
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    args = ["--project-dir", str(root)]
    code, out, _ = mesh(capsys, "product", "new", "funding", "advances_draft", "--from-contract", str(path), *args)
    assert code == 0 and "Created data product advances_draft v1 in funding" in out
    model = yaml.safe_load((root / "models/funding/marts/advances_draft.yml").read_text())["models"][0]
    assert model["config"]["meta"]["status"] == "proposed" and model["description"].startswith("{% raw %}")
    code, out, _ = mesh(capsys, "contract", "export", "advances_draft", *args)
    assert code == 0 and renamed(yaml.safe_load(out), "advances_draft", "advances") == contract


def test_dry_run_prints_the_files_and_changes_nothing(mesh_copy, capsys):
    root, base, _ = mesh_copy
    before = tree_hash(root)
    code, out, _ = mesh(capsys, "product", "new", "funding", "advances_preview", "--from-contract",
                        str(base / "first" / "advances.odcs.yaml"), "--dry-run", "--project-dir", str(root))
    assert code == 0 and tree_hash(root) == before
    assert "--- create models/funding/marts/advances_preview.sql" in out and "Dry run: 3 files would be written" in out
