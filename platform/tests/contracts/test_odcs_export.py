"""`mesh contract export` on a copy of the reference mesh: every data product's contract is valid ODCS v3 and
says what its dbt contract, group and quality suite say; bad requests are refused in one line."""

import json
from importlib.resources import files

import jsonschema
import pytest
import yaml
from conftest import WAREHOUSE, copy_project, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

# The standard's own JSON schema, applied here without the platform's code.
ODCS = jsonschema.Draft201909Validator(
    json.loads(files("open_data_contract_standard").joinpath("schema.json").read_text(encoding="utf-8")))


def mesh(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def reference_products(root) -> set[str]:
    """The public models, read from the YAML files themselves."""
    return {model["name"] for path in root.glob("models/*/marts/*.yml") if not path.name.endswith(".quality.yml")
            for model in yaml.safe_load(path.read_text())["models"] if model.get("access") == "public"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("export") / "mesh")
    folder = root.parent / "contracts"
    assert main(["contract", "export", "--all", "--output", str(folder), "--project-dir", str(root)]) == 0
    return root, folder, {path.name.removesuffix(".odcs.yaml"): yaml.safe_load(path.read_text())
                          for path in sorted(folder.glob("*.odcs.yaml"))}


def test_every_reference_product_exports_a_valid_odcs_v3_contract(exported):
    root, _, contracts = exported
    assert set(contracts) == reference_products(root) and {"advances", "merchants", "funnel"} < set(contracts)
    for name, contract in contracts.items():
        errors = list(ODCS.iter_errors(contract))
        assert not errors, f"{name}: {errors[0].message}"
        assert (contract["apiVersion"], contract["kind"], contract["name"]) == ("v3.2.0", "DataContract", name)
    assert not (root / WAREHOUSE).exists()  # the manifest is enough


def test_the_schema_check_is_not_vacuous(exported):
    contract = json.loads(json.dumps(exported[2]["advances"]))
    contract["schema"][0]["properties"][0]["required"] = "yes"
    assert any(error.message == "'yes' is not of type 'boolean'" for error in ODCS.iter_errors(contract))


def test_the_contract_says_what_the_dbt_contract_group_and_suite_say(exported):
    root, _, contracts = exported
    contract = contracts["advances"]
    model = yaml.safe_load((root / "models/funding/marts/advances.yml").read_text())["models"][0]
    suite = yaml.safe_load((root / "models/funding/marts/advances.quality.yml").read_text())["expectations"]
    table = contract["schema"][0]
    properties = table["properties"]
    assert [(p["name"], p["physicalType"], p["description"]) for p in properties] == \
        [(c["name"], c["data_type"], c["description"]) for c in model["columns"]]
    assert properties[0] == {"name": "advance_id", "physicalType": "varchar", "logicalType": "string",
                             "description": "Advance identifier; primary key.", "required": True, "unique": True,
                             "primaryKey": True, "primaryKeyPosition": 1}
    assert all(p["required"] for p in properties) and [p.get("primaryKey") for p in properties].count(True) == 1
    assert [p["logicalType"] for p in properties][4:8] == ["timestamp", "date", "date", "number"]
    assert properties[7]["quality"] == [
        {"type": "sql", "description": "Check constraint: enforced by the warehouse when the product is built.",
         "mustBe": 0, "query": "select count(*) from ${table} where not (funded_amount > 0)"},
        {"description": "expect_column_values_to_be_between(funded_amount, min_value=1000, max_value=500000)",
         "type": "sql", "query": "select count(*) from ${table} where ${column} is not null and not (${column} >= 1000 "
                                 "and ${column} <= 500000)", "mustBe": 0,
         "customProperties": [{"property": "derivedFrom", "value": "expect_column_values_to_be_between"}]}]
    gx_rules = [rule for rule in table["quality"] if rule["type"] == "custom"]
    assert [rule["implementation"] for rule in gx_rules] == [{"type": e["type"], "kwargs": e["kwargs"]} for e in suite]
    assert {rule["engine"] for rule in gx_rules} == {"greatExpectations"}
    assert gx_rules[0]["description"] == "Risk policy prices advances between 1.0x and 1.5x."
    # the table's rules in forms other tools run, after the expectations they come from
    assert table["quality"][len(gx_rules):] == [
        {"description": "expect_column_pair_values_a_to_be_greater_than_b(total_repayable, column_A=total_repayable, "
                        "column_B=funded_amount, or_equal=True)", "type": "sql",
         "query": "select count(*) from ${table} where total_repayable is not null and funded_amount is not null "
                  "and not (total_repayable >= funded_amount)", "mustBe": 0,
         "customProperties": [{"property": "derivedFrom",
                               "value": "expect_column_pair_values_a_to_be_greater_than_b"}]},
        {"description": "expect_table_row_count_to_be_between(min_value=1)", "type": "library", "metric": "rowCount",
         "mustBeGreaterOrEqualTo": 1,
         "customProperties": [{"property": "derivedFrom", "value": "expect_table_row_count_to_be_between"}]}]
    # where datacontract-cli reads it: the bare table in the server's schema, the profile's DuckDB file
    assert (table["physicalName"], contract["servers"]) == (
        "advances_v1",
        [{"server": "duckdb", "type": "duckdb", "database": "warehouse/mesh.duckdb", "schema": "funding"}])
    assert (contract["version"], contract["domain"], contract["status"]) == ("1", "funding", "active")
    assert contract["description"]["purpose"] == " ".join(model["description"].split())
    assert contract["team"]["members"] == [{"username": "funding-ops@lender.example", "name": "Funding",
                                            "role": "owner"}]
    assert contract["team"]["customProperties"] == [{"property": "teamHandle", "value": "@lender/funding"}]
    assert contract["slaProperties"] == [{"property": "frequency", "value": "daily"},
                                         {"property": "timeOfAvailability", "value": "06:00 UTC"},
                                         {"property": "latency", "value": 24, "unit": "h"}]


def test_the_server_is_the_chosen_targets_and_a_server_less_one_is_said(exported, capsys, monkeypatch):
    root = exported[0]
    code, out, err = mesh(capsys, "contract", "export", "advances", "--target", "postgres", "--project-dir", str(root))
    assert code == 0 and err == ""
    assert yaml.safe_load(out)["servers"] == [{"server": "postgres", "type": "postgres", "host": "127.0.0.1",
                                               "port": 5432, "database": "mesh", "schema": "funding"}]
    monkeypatch.setenv("MESH_DUCKDB_PATH", ":memory:")
    code, out, err = mesh(capsys, "contract", "export", "advances", "--project-dir", str(root))
    assert code == 0 and "servers" not in yaml.safe_load(out)
    assert err == "Note: no servers entry: target 'duckdb': an in-memory DuckDB database outlives no run\n"


def test_a_rule_no_other_tool_runs_is_said(exported, capsys):
    root = exported[0]
    suite = root / "models/funding/marts/advances.quality.yml"
    original = suite.read_text()
    try:
        suite.write_text(original + "  - type: expect_column_values_to_be_unique\n"
                                    "    kwargs: {column: merchant_id, mostly: 0.5}\n")
        code, out, err = mesh(capsys, "contract", "export", "advances", "--project-dir", str(root))
    finally:
        suite.write_text(original)
    assert code == 0 and err == ("Note: advances: 1 quality rule(s) only Great Expectations runs (no SQL or library "
                                 "form; datacontract-cli skips them): expect_column_values_to_be_unique\n")
    assert yaml.safe_load(out)["schema"][0]["quality"][5]["implementation"]["kwargs"]["mostly"] == 0.5


def test_personal_data_optional_columns_and_the_domain_status(exported):
    contracts = exported[2]
    merchants = {p["name"]: p for p in contracts["merchants"]["schema"][0]["properties"]}
    assert merchants["email_hash"]["customProperties"] == [{"property": "pii", "value": True},
                                                           {"property": "masked", "value": True}]
    assert "required" not in merchants["sector"] and "customProperties" not in merchants["sector"]
    assert contracts["legacy_loan_book"]["status"] == "decommissioning"
    assert "quality" not in contracts["partners"]["schema"][0]  # no suite file, no rules


def test_one_product_to_stdout_or_a_file_is_what_all_writes(exported, capsys, tmp_path):
    root, folder, _ = exported
    code, out, err = mesh(capsys, "contract", "export", "merchants", "--project-dir", str(root))
    assert code == 0 and err == "" and out == (folder / "merchants.odcs.yaml").read_text()
    assert out.startswith("# ODCS v3.2.0 contract of the data product merchants v1 (domain merchants)")
    target = tmp_path / "merchants.yaml"
    code, out, _ = mesh(capsys, "contract", "export", "merchants", "--format", "odcs", "--output", str(target),
                        "--project-dir", str(root))
    assert code == 0 and target.read_text() == (folder / "merchants.odcs.yaml").read_text()
    code, out, _ = mesh(capsys, "contract", "export", "--all", "--project-dir", str(root))
    assert code == 0 and f"Wrote {len(exported[2])} contracts to {root / 'contracts'}" in out
    assert (root / "contracts" / "advances.odcs.yaml").read_text() == (folder / "advances.odcs.yaml").read_text()


@pytest.mark.parametrize("args, message", [
    (["no_such_product"], "unknown data product 'no_such_product'; the data products are: advance_performance_daily, "
                          "advances, applications, funnel,"),
    (["int_advances_priced"], "unknown data product 'int_advances_priced'"),  # private: not a product
    (["advances", "--all"], "name one data product, or pass --all for every one"),
    ([], "name one data product, or pass --all for every one"),
    (["advances", "--output", "/no/such/folder/advances.yaml"],
     "cannot write the contract to /no/such/folder/advances.yaml: folder /no/such/folder does not exist"),
])
def test_bad_requests_are_one_line_and_change_nothing(exported, capsys, args, message):
    root = exported[0]
    before = tree_hash(root)
    code, out, err = mesh(capsys, "contract", "export", *args, "--project-dir", str(root))
    assert code == 2 and out == "" and err.startswith(f"mesh: {message}") and err.count("\n") == 1
    assert tree_hash(root) == before
