"""Quality suites: contract-derived expectations, and every mistake in a suite file as one line."""

import pytest
import yaml

from mesh_platform.errors import MeshError
from mesh_platform.quality.suites import build, contract_expectations, load_suite, type_mismatches


def suite(tmp_path, text):
    path = tmp_path / "models" / "p.quality.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_suite(path, tmp_path)


def test_contract_gives_column_list_types_not_null_and_unique_key():
    product = {"config": {"contract": {"enforced": True}}, "columns": {
        "id": {"name": "id", "data_type": "varchar", "constraints": [{"type": "primary_key"}]},
        "amount": {"name": "amount", "data_type": "decimal(12,2)", "constraints": [{"type": "not_null"}]},
        "note": {"name": "note", "data_type": "text", "constraints": []},
    }}
    specs = [(s.type, s.kwargs) for s in contract_expectations(product)]
    assert specs == [
        ("expect_table_columns_to_match_ordered_list", {"column_list": ["id", "amount", "note"]}),
        ("expect_column_types_to_match_contract", {"types": {"id": "varchar", "amount": "decimal(12,2)",
                                                             "note": "text"}}),
        ("expect_column_values_to_not_be_null", {"column": "id"}),
        ("expect_column_values_to_be_unique", {"column": "id"}),
        ("expect_column_values_to_not_be_null", {"column": "amount"}),
    ]


@pytest.mark.parametrize("contract", [None, {}, {"enforced": False}])
def test_without_an_enforced_contract_only_the_documented_columns_must_exist(contract):
    product = {"config": {} if contract is None else {"contract": contract}, "columns": {
        "id": {"name": "id", "data_type": "varchar", "constraints": [{"type": "primary_key"}]},
        "note": {"name": "note", "constraints": []},
    }}
    specs = contract_expectations(product)
    assert [(s.type, s.kwargs) for s in specs] == [("expect_column_to_exist", {"column": "id"}),
                                                   ("expect_column_to_exist", {"column": "note"})]
    assert all(build(spec) for spec in specs)  # GX takes them as they are


def test_a_suite_file_declares_the_domains_own_expectations(tmp_path):
    specs = suite(tmp_path, "expectations:\n  - type: expect_column_values_to_be_between\n"
                            "    kwargs: {column: amount, min_value: 0}\n    notes: money is positive\n")
    assert [(s.type, s.kwargs, s.origin) for s in specs] == [
        ("expect_column_values_to_be_between", {"column": "amount", "min_value": 0}, "suite")]
    assert load_suite(tmp_path / "none.quality.yml", tmp_path) == []


@pytest.mark.parametrize("text, message", [
    ("expectations:\n  - type: expect_magic\n", "'expect_magic' is not a Great Expectations expectation"),
    ("expectations:\n  - type: expect_column_values_to_be_between\n    kwargs: {min_value: 0}\n",
     "expectations[0]: expect_column_values_to_be_between: arguments"),
    ("expectations:\n  - {type: expect_table_row_count_to_be_between, args: {}}\n",
     "expectations[0]: unknown key args (known: kwargs, notes, type)"),
    ("expectations:\n  - {kwargs: {}}\n", "expectations[0]: missing type"),
    ("suite: []\n", "unknown key suite (known: expectations)"),
    ("expectations: [\n", "not valid YAML"),
])
def test_suite_mistakes_are_one_line(tmp_path, text, message):
    with pytest.raises(MeshError) as caught:
        suite(tmp_path, text)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).startswith("models/p.quality.yml")


def test_column_types_compare_as_the_warehouse_spells_them():
    expected = {"id": "varchar", "amount": "decimal(12,2)", "note": "text", "n": "int"}
    described = {"id": "VARCHAR", "amount": "DECIMAL(12, 2)", "note": "VARCHAR", "n": "INTEGER"}
    assert type_mismatches(expected, described) == []
    assert type_mismatches({"amount": "decimal(12,2)", "gone": "date"}, {"amount": "DOUBLE"}) == [
        "amount: expected decimal(12,2), found DOUBLE", "gone: expected date, found no such column"]


@pytest.mark.parametrize("query, message", [
    ("copy (select * from {batch}) to '/tmp/out.csv'", "must be one SELECT"),
    ("select * from {batch}; select 1", "must be one SELECT"),
    ("select email from raw_merchants.crm__merchants", "reads raw_merchants.crm__merchants"),
    ("select * from {batch} join main.other using (id)", "reads main.other"),
])
def test_sql_in_an_expectation_may_read_only_the_product(tmp_path, query, message):
    path = tmp_path / "p.quality.yml"
    path.write_text(yaml.safe_dump({"expectations": [{"type": "unexpected_rows_expectation",
                                                       "kwargs": {"unexpected_rows_query": query}}]}))
    with pytest.raises(MeshError, match=message):
        load_suite(path, tmp_path, "funding.advances_v1")


def test_sql_reading_the_product_alone_is_accepted(tmp_path):
    path = tmp_path / "p.quality.yml"
    path.write_text(yaml.safe_dump({"expectations": [{"type": "unexpected_rows_expectation", "kwargs": {
        "unexpected_rows_query": "select * from {batch} where factor_rate > 2"}}]}))
    (spec,) = load_suite(path, tmp_path, "funding.advances_v1")
    assert spec.type == "unexpected_rows_expectation"
