"""The suite's expectations as ODCS sql/library rules: each SQL rule, run on DuckDB as datacontract-cli
substitutes it, holds on rows that keep the expectation and counts the ones that break it; what has no
equivalent gets no rule."""

from __future__ import annotations

import duckdb
import pytest

from mesh_platform.contracts.runnable_rules import runnable

TABLE = "create table t as select * from (values {rows}) as v(amount, grade, code, low, high)"
GOOD = "(1.0, 'A', 'abc', 1, 2), (5.0, 'B', 'xyz', 2, 2), (null, null, null, null, 3)"


def value(rule: dict, column: str | None, rows: str):
    """What the rule's query returns on a table of `rows`, its placeholders filled as datacontract-cli does."""
    with duckdb.connect() as connection:
        connection.execute(TABLE.format(rows=rows))
        query = rule["query"].replace("${table}", "t").replace("${column}", column or "")
        return connection.sql(query).fetchone()[0]


SQL_CASES = [  # expectation, kwargs, a row that breaks it
    ("expect_column_values_to_be_between", {"column": "amount", "min_value": 1, "max_value": 5},
     "(5.5, 'A', 'abc', 1, 2)"),
    ("expect_column_values_to_be_between", {"column": "amount", "min_value": 0.5, "strict_min": True},
     "(0.5, 'A', 'abc', 1, 2)"),
    ("expect_column_values_to_not_be_in_set", {"column": "grade", "value_set": ["Z", "it's"]},
     "(1.0, 'it''s', 'abc', 1, 2)"),
    ("expect_column_value_lengths_to_equal", {"column": "code", "value": 3}, "(1.0, 'A', 'abcd', 1, 2)"),
    ("expect_column_value_lengths_to_be_between", {"column": "code", "min_value": 2, "max_value": 3},
     "(1.0, 'A', 'a', 1, 2)"),
    ("expect_column_max_to_be_between", {"column": "amount", "min_value": 5, "max_value": 5},
     "(6.0, 'A', 'abc', 1, 2)"),
    ("expect_column_min_to_be_between", {"column": "amount", "min_value": 1}, "(0.5, 'A', 'abc', 1, 2)"),
    ("expect_column_mean_to_be_between", {"column": "amount", "max_value": 3}, "(100.0, 'A', 'abc', 1, 2)"),
    ("expect_column_sum_to_be_between", {"column": "amount", "max_value": 6}, "(1.0, 'A', 'abc', 1, 2)"),
    ("expect_column_unique_value_count_to_be_between", {"column": "grade", "max_value": 2},
     "(1.0, 'C', 'abc', 1, 2)"),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "high", "column_B": "low", "or_equal": True},
     "(1.0, 'A', 'abc', 3, 2)"),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "high", "column_B": "low"}, None),
    ("expect_column_pair_values_to_be_equal", {"column_A": "high", "column_B": "low"}, None),
    ("expect_column_values_to_be_in_set", {"column": "grade", "value_set": ["A", "B"], "mostly": 0.6},
     "(1.0, 'C', 'abc', 1, 2), (1.0, 'C', 'abc', 1, 2)"),
]


@pytest.mark.parametrize("expectation, kwargs, bad", SQL_CASES, ids=[case[0] for case in SQL_CASES])
def test_a_sql_rule_holds_on_good_rows_and_counts_bad_ones(expectation, kwargs, bad):
    found = runnable(expectation, kwargs, "a rule")
    assert found is not None and len(found.rules) == 1
    (rule,) = found.rules
    assert rule["type"] == "sql" and rule["description"] == "a rule"
    assert rule["customProperties"] == [{"property": "derivedFrom", "value": expectation}]
    comparator, expected = next((key, rule[key]) for key in ("mustBe", "mustBeGreaterOrEqualTo") if key in rule)

    def holds(rows: str) -> bool:
        got = value(rule, found.column, rows)
        return got == expected if comparator == "mustBe" else got >= expected

    if bad is None:  # the good rows already break it
        assert not holds(GOOD)
        return
    assert holds(GOOD), rule["query"]
    assert not holds(f"{GOOD}, {bad}"), rule["query"]


@pytest.mark.parametrize("expectation, kwargs, rule", [
    ("expect_table_row_count_to_be_between", {"min_value": 1}, {"metric": "rowCount", "mustBeGreaterOrEqualTo": 1}),
    ("expect_table_row_count_to_be_between", {"min_value": 1, "max_value": 9},
     {"metric": "rowCount", "mustBeBetween": [1, 9]}),
    ("expect_table_row_count_to_equal", {"value": 4}, {"metric": "rowCount", "mustBe": 4}),
    ("expect_column_values_to_not_be_null", {"column": "a"}, {"metric": "nullValues", "mustBe": 0}),
    ("expect_column_values_to_be_unique", {"column": "a"}, {"metric": "duplicateValues", "mustBe": 0}),
    ("expect_column_values_to_be_in_set", {"column": "a", "value_set": ["x"]},
     {"metric": "invalidValues", "arguments": {"validValues": ["x"]}, "mustBe": 0}),
    ("expect_column_values_to_match_regex", {"column": "a", "regex": "^[0-9a-f]+$"},
     {"metric": "invalidValues", "arguments": {"pattern": "^[0-9a-f]+$"}, "mustBe": 0}),
])
def test_library_metrics_where_odcs_names_one(expectation, kwargs, rule):
    found = runnable(expectation, kwargs)
    assert found is not None
    assert found.rules == [{"type": "library", **rule,
                            "customProperties": [{"property": "derivedFrom", "value": expectation}]}]
    assert found.column == kwargs.get("column")


@pytest.mark.parametrize("expectation, kwargs", [
    ("expect_column_values_to_be_between", {"column": "a", "min_value": 1, "row_condition": "b > 1"}),
    ("expect_column_values_to_be_between", {"column": "a"}),  # no bound
    ("expect_column_values_to_be_between", {"column": "A b", "min_value": 1}),  # SQL would quote it
    ("expect_column_values_to_be_unique", {"column": "a", "mostly": 0.9}),
    ("expect_column_values_to_match_regex", {"column": "a", "regex": "x", "mostly": 0.9}),
    ("expect_column_kl_divergence_to_be_less_than", {"column": "a", "partition_object": {}}),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "a", "column_B": "b",
                                                          "ignore_row_if": "neither"}),
    ("unexpected_rows_expectation", {"unexpected_rows_query": "select * from {batch}"}),
])
def test_what_has_no_equivalent_gets_no_rule(expectation, kwargs):
    assert runnable(expectation, kwargs) is None
