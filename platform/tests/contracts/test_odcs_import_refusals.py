"""`mesh product new --from-contract` refuses what it cannot honour exactly: one line naming the file and the
first problem, exit 2, nothing written."""

import copy

import pytest
import yaml
from conftest import copy_project, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """An unbuilt copy of the mesh and the contract of advances exported from it."""
    base = tmp_path_factory.mktemp("refusals")
    root = copy_project(base / "mesh")
    path = base / "advances.yaml"
    assert main(["contract", "export", "advances", "--output", str(path), "--project-dir", str(root)]) == 0
    return root, yaml.safe_load(path.read_text())


def refused(capsys, root, *args) -> str:
    before = tree_hash(root)
    code = main(["product", "new", *args, "--project-dir", str(root)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith("mesh: ") and err.count("\n") == 1, err
    assert tree_hash(root) == before
    return err


def edit(contract: dict, change) -> dict:
    changed = copy.deepcopy(contract)
    change(changed)
    return changed


def props(contract: dict) -> list[dict]:
    return contract["schema"][0]["properties"]


BAD_TEXT = {
    "malformed YAML": ("apiVersion: v3.2.0\nkind: [DataContract\n", "line 3: not valid YAML (expected ',' or ']', "
                                                                      "but got '<stream end>')"),
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
                   "line 2: not valid YAML (aliases (*name) are not allowed here; write the values out)"),
    "not a mapping": ("- apiVersion\n- kind\n", "not an ODCS contract (expected a YAML mapping"),
    "empty": ("", "not an ODCS contract"),
}


@pytest.mark.parametrize("case", sorted(BAD_TEXT))
def test_a_file_that_is_not_a_contract_is_refused(setting, capsys, tmp_path, case):
    text, message = BAD_TEXT[case]
    path = tmp_path / "contract.yaml"
    path.write_text(text)
    err = refused(capsys, setting[0], "funding", "funded", "--from-contract", str(path))
    assert err.startswith(f"mesh: {path}{'' if message.startswith('line') else ':'} {message}")


BAD_CONTRACTS = {
    "unknown top-level key": (lambda c: c.update(owner="Funding"),
                              "not a valid ODCS v3 contract, at the top level: Additional properties are not allowed "
                              "('owner' was unexpected)"),
    "wrong type": (lambda c: props(c)[0].update(required="yes"),
                   "not a valid ODCS v3 contract, at schema[0].properties[0].required: 'yes' is not of type 'boolean'"),
    "no kind": (lambda c: c.pop("kind"), "not a valid ODCS v3 contract"),
    "no logical type": (lambda c: props(c)[0].pop("logicalType"),
                        "not a valid ODCS v3 contract, at schema[0].properties[0]: no logicalType"),
    "ODCS v2": (lambda c: c.update(apiVersion="v2.2.2"), "apiVersion v2.2.2 is ODCS v2"),
    "semantic version": (lambda c: c.update(version="1.0.0"), "version '1.0.0' is not a dbt model version"),
    "two tables": (lambda c: c["schema"].append({"name": "other", "properties": copy.deepcopy(props(c))}),
                   "the contract describes 2 schema objects"),
    "no key": (lambda c: [p.pop("primaryKey") for p in props(c)[:1]], "no property is the primary key"),
    "composite key": (lambda c: props(c)[1].update(primaryKey=True, primaryKeyPosition=2),
                      "a composite primary key (advance_id, application_id) is not supported"),
    "no latency": (lambda c: c["slaProperties"].pop(), "no latency SLA"),
    "no description": (lambda c: props(c)[2].pop("description"),
                       "schema[0].properties[2] 'decision_id': no description"),
    "SQL in a type": (lambda c: props(c)[0].update(physicalType="varchar) as x from y; drop table z; --"),
                      "physicalType 'varchar) as x from y; drop table z; --' is not a DuckDB type"),
    "unknown type": (lambda c: props(c)[0].update(physicalType="varchr"), "physicalType 'varchr' is not a DuckDB type"),
    "types disagree": (lambda c: props(c)[0].update(logicalType="integer"),
                       "logicalType integer does not match physicalType varchar (string)"),
    "keyword column": (lambda c: props(c)[1].update(name="select"), "'select': not a plain lowercase column name"),
    "column twice": (lambda c: props(c)[1].update(name="advance_id"), "property 'advance_id' is declared twice"),
    "SQL in a check": (lambda c: props(c)[7]["quality"][0].update(
        query="select count(*) from ${table} where not (1); drop table funding.advances_v1; select (1)"),
        "is not one SQL condition"),
    "SQL around a check": (lambda c: props(c)[7]["quality"][0].update(
        query="select count(*) from ${table} where not (1) union select 1 from secrets where (1)"),
        "'1) union select 1 from secrets where (1' is not one SQL condition"),
    "other sql rule": (lambda c: props(c)[7]["quality"][0].update(query="select 1"),
                       "quality[0]: a sql rule must read `select count(*) from ${table} where not (<condition>)`"),
    "library rule": (lambda c: c["schema"][0]["quality"].append({"type": "library", "metric": "rowCount",
                                                                 "mustBeGreaterThan": 0}),
                     "schema[0].quality[7]: a library rule is not supported here"),
    "unmasked PII": (lambda c: props(c)[3].update(customProperties=[{"property": "pii", "value": True}]),
                     "personal data is published only masked"),
    "not an expectation": (lambda c: c["schema"][0]["quality"][0]["implementation"].update(type="expect_magic"),
                           "quality rule 'expect_magic' is not a Great Expectations expectation"),
    "bad expectation arguments": (lambda c: c["schema"][0]["quality"][0]["implementation"]["kwargs"].update(
        minValue=1), "expect_column_values_to_be_between: arguments"),
    "a rule that runs SQL": (lambda c: c["schema"][0]["quality"].append(EXFILTRATING_RULE),
                             "carries SQL of its own (base_query, comparison_query, comparison_data_source_name); "
                             "a contract's rules "
                             "do not run SQL unless the product's owner allows it (--allow-query-rules)"),
}
# copies every raw e-mail to a file outside the project, if anything ran it
EXFILTRATING_RULE = {"type": "custom", "engine": "greatExpectations", "implementation": {
    "type": "expect_query_results_to_match_comparison",
    "kwargs": {"base_query": "copy (select email from raw_merchants.crm__merchants) to '/tmp/emails.csv'",
               "comparison_query": "select 1", "comparison_data_source_name": "warehouse"}}}


def test_a_rule_that_runs_sql_is_refused_even_when_allowed_unless_it_is_one_select_of_the_product(setting, capsys,
                                                                                            tmp_path):
    root, contract = setting
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(edit(contract, lambda c: c["schema"][0]["quality"].append(EXFILTRATING_RULE)),
                                   sort_keys=False))
    err = refused(capsys, root, "funding", "funded", "--from-contract", str(path), "--allow-query-rules")
    assert "base_query must be one SELECT over the product ({batch})" in err


@pytest.mark.parametrize("case", sorted(BAD_CONTRACTS))
def test_a_contract_the_product_cannot_honour_is_refused(setting, capsys, tmp_path, case):
    root, contract = setting
    change, message = BAD_CONTRACTS[case]
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(edit(contract, change), sort_keys=False))
    err = refused(capsys, root, "funding", "funded", "--from-contract", str(path))
    assert err.startswith(f"mesh: {path}: ") and message in err


BAD_REQUESTS = {
    "unknown domain": (["treasury", "funded"], "unknown domain 'treasury'; the domains are: analytics, collections"),
    "existing model": (["funding", "advances"], "a model named 'advances' already exists in domain funding"),
    "bad name": (["funding", "../x"], "product name '../x' is not allowed"),
    "with --from": (["funding", "funded", "--from", "int_advances_priced"],
                    "--from-contract takes the columns, key and description from the contract"),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_bad_requests_are_refused(setting, capsys, tmp_path, case):
    root, contract = setting
    args, message = BAD_REQUESTS[case]
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    err = refused(capsys, root, *args, "--from-contract", str(path))
    assert err.startswith(f"mesh: {message}")


def test_a_missing_file_and_a_missing_source_are_refused(setting, capsys, tmp_path):
    root = setting[0]
    assert refused(capsys, root, "funding", "funded", "--from-contract", str(tmp_path / "none.yaml")) == \
        f"mesh: {tmp_path / 'none.yaml'}: no such file\n"
    assert refused(capsys, root, "funding", "funded", "--key", "advance_id").startswith(
        "mesh: give --from MODEL, --key COLUMN and --description TEXT, or --from-contract FILE")
