"""A quality suite's Great Expectations expectations as ODCS rules other tools run (`sql` and `library`).

datacontract-cli skips a `custom` rule of engine greatExpectations without a word, so the export writes each
expectation that has an equivalent a second time, in a form such tools run: a library metric (rowCount,
nullValues, duplicateValues, invalidValues) where one says it, else a `sql` rule counting the rows (or the one
aggregate) that break it, `mustBe: 0`. The SQL is plain (comparisons, `in`, `length`, `count`, `min`, `max`,
`avg`, `sum`), which DuckDB, PostgreSQL and Spark all read. Like GX, nulls break no rule but not-null's.
Each such rule carries `derivedFrom: <expectation>`, so the import reads the expectation alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..names import PLAIN_COLUMN

DERIVED_FROM = "derivedFrom"
# Arguments that change how GX reports, not what it checks.
REPORTING = {"result_format", "catch_exceptions", "meta", "include_config", "severity", "notes", "description"}


@dataclass(frozen=True)
class Runnable:
    """Rules for one expectation: on the column `column` (None: on the table)."""
    column: str | None
    rules: list[dict]


def runnable(expectation: str, kwargs: dict, description: str = "") -> Runnable | None:
    """The expectation's rules in a form datacontract-cli runs, or None when it has none (MAPPED: the
    expectations that can have one)."""
    builder = _BUILDERS.get(expectation)
    arguments = {key: value for key, value in kwargs.items() if key not in REPORTING}
    if builder is None:
        return None
    accepted, make = builder
    columns = [arguments[key] for key in ("column", "column_A", "column_B") if key in arguments]
    if set(arguments) - accepted or not all(isinstance(c, str) and PLAIN_COLUMN.match(c) for c in columns):
        return None  # a row_condition, an argument of GX's own semantics, a column SQL must quote
    try:
        made = make(arguments)
    except (KeyError, TypeError, ValueError):
        return None  # GX would refuse these arguments too; `mesh quality` says so
    if made is None:
        return None
    marker = [{"property": DERIVED_FROM, "value": expectation}]
    rules = [{**({"description": description} if description else {}), **rule, "customProperties": marker}
             for rule in made.rules]
    return Runnable(made.column, rules)


def is_derived(rule: Any) -> bool:
    """Whether an ODCS rule (the standard's model) is one the export derived from an expectation."""
    return any(str(custom.property) == DERIVED_FROM for custom in rule.customProperties or [])


# -- SQL pieces --------------------------------------------------------------------------------------------

def literal(value: Any) -> str:
    """A SQL literal of a YAML scalar (numbers as written, text quoted, booleans as words)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


def _bounds(expression: str, arguments: dict) -> str:
    """`expression >= min and expression <= max` (strict with strict_min/strict_max); a ValueError for none."""
    terms = []
    if arguments.get("min_value") is not None:
        terms.append(f"{expression} {'>' if arguments.get('strict_min') else '>='} {literal(arguments['min_value'])}")
    if arguments.get("max_value") is not None:
        terms.append(f"{expression} {'<' if arguments.get('strict_max') else '<='} {literal(arguments['max_value'])}")
    if not terms:
        raise ValueError("no bound")
    return " and ".join(terms)


def _values(arguments: dict) -> str:
    values = arguments["value_set"]
    if not isinstance(values, list) or not values:
        raise ValueError("no values")
    return ", ".join(literal(value) for value in values)


def _row_rule(column: str | None, condition: str, arguments: dict, scope: str = "") -> Runnable:
    """Rows must meet `condition`: none may break it, or with `mostly` that share of them must meet it."""
    mostly = arguments.get("mostly")
    where = f" where {scope}" if scope else ""
    if mostly is None:
        joiner = " and " if scope else " where "
        query = f"select count(*) from ${{table}}{where}{joiner}not ({condition})"
        return Runnable(column, [{"type": "sql", "query": query, "mustBe": 0}])
    if isinstance(mostly, bool) or not isinstance(mostly, (int, float)) or not 0 <= mostly <= 1:
        raise ValueError("mostly is a share")
    query = f"select coalesce(avg(case when {condition} then 1.0 else 0.0 end), 1) from ${{table}}{where}"
    return Runnable(column, [{"type": "sql", "query": query, "mustBeGreaterOrEqualTo": mostly}])


def _column_rule(condition: Callable[[str, dict], str]):
    """A rule on each non-null value of `column` (`${column}` in the condition)."""
    return lambda arguments: _row_rule(arguments["column"], condition("${column}", arguments), arguments,
                                       "${column} is not null")


def _aggregate_rule(template: str):
    """An aggregate of the column (`template` around it) between the bounds: a query of one row, counted when
    the aggregate breaks them (or is null: an empty table has no max)."""
    def make(arguments: dict) -> Runnable:
        bounds = _bounds("observed", arguments)
        query = (f"select count(*) from (select {template.format('${column}')} as observed from ${{table}}) "
                 f"as aggregate where observed is null or not ({bounds})")
        return Runnable(arguments["column"], [{"type": "sql", "query": query, "mustBe": 0}])
    return make


def _metric(rule: dict, fallback: Callable[[dict], Runnable] | None = None):
    """A library metric rule on the column; with `mostly` the fallback's SQL (the metrics' percentages count
    null rows, GX's do not), or no rule without one."""
    def make(arguments: dict) -> Runnable | None:
        if arguments.get("mostly") is not None:
            return fallback(arguments) if fallback else None
        return Runnable(arguments["column"], [rule])
    return make


def _in_set(arguments: dict) -> Runnable | None:
    values = _values(arguments)
    fallback = _column_rule(lambda c, a: f"{c} in ({values})")
    return _metric({"type": "library", "metric": "invalidValues",
                    "arguments": {"validValues": list(arguments["value_set"])}, "mustBe": 0}, fallback)(arguments)


def _regex(arguments: dict) -> Runnable | None:
    return _metric({"type": "library", "metric": "invalidValues", "arguments": {"pattern": str(arguments["regex"])},
                    "mustBe": 0})(arguments)


def _row_count(arguments: dict) -> dict:
    low, high = arguments.get("min_value"), arguments.get("max_value")
    for bound in (low, high):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise ValueError("a count is a number")
    rule: dict[str, Any] = {"type": "library", "metric": "rowCount"}
    if low is not None and high is not None:
        rule.update({"mustBe": low} if low == high else {"mustBeBetween": [low, high]})
    elif low is not None:
        rule["mustBeGreaterOrEqualTo"] = low
    elif high is not None:
        rule["mustBeLessOrEqualTo"] = high
    else:
        raise ValueError("no bound")
    return rule


def _pair(operator: Callable[[dict], str]):
    def make(arguments: dict) -> Runnable:
        if arguments.get("ignore_row_if", "both_values_are_missing") not in ("both_values_are_missing",
                                                                             "either_value_is_missing"):
            raise ValueError("rows with one null value would count")
        condition = f"{arguments['column_A']} {operator(arguments)} {arguments['column_B']}"
        return _row_rule(None, condition, arguments, f"{arguments['column_A']} is not null and "
                                                     f"{arguments['column_B']} is not null")
    return make


_COLUMN = {"column", "mostly"}
_BOUNDS = {"min_value", "max_value", "strict_min", "strict_max"}
_BUILDERS: dict[str, tuple[set[str], Callable[[dict], Runnable | None]]] = {
    "expect_column_values_to_not_be_null": (_COLUMN, _metric(
        {"type": "library", "metric": "nullValues", "mustBe": 0},
        lambda a: _row_rule(a["column"], "${column} is not null", a))),
    "expect_column_values_to_be_null": (_COLUMN, lambda a: _row_rule(a["column"], "${column} is null", a)),
    "expect_column_values_to_be_unique": (_COLUMN, _metric({"type": "library", "metric": "duplicateValues",
                                                            "mustBe": 0})),
    "expect_column_values_to_be_in_set": (_COLUMN | {"value_set"}, _in_set),
    "expect_column_values_to_not_be_in_set": (_COLUMN | {"value_set"}, _column_rule(
        lambda c, a: f"{c} not in ({_values(a)})")),
    "expect_column_values_to_match_regex": ({"column", "regex"}, _regex),
    "expect_column_values_to_be_between": (_COLUMN | _BOUNDS, _column_rule(lambda c, a: _bounds(c, a))),
    "expect_column_value_lengths_to_equal": (_COLUMN | {"value"}, _column_rule(
        lambda c, a: f"length({c}) = {literal(int(a['value']))}")),
    "expect_column_value_lengths_to_be_between": (_COLUMN | {"min_value", "max_value"}, _column_rule(
        lambda c, a: _bounds(f"length({c})", a))),
    "expect_column_max_to_be_between": ({"column"} | _BOUNDS, _aggregate_rule("max({})")),
    "expect_column_min_to_be_between": ({"column"} | _BOUNDS, _aggregate_rule("min({})")),
    "expect_column_mean_to_be_between": ({"column"} | _BOUNDS, _aggregate_rule("avg({})")),
    "expect_column_sum_to_be_between": ({"column"} | _BOUNDS, _aggregate_rule("sum({})")),
    "expect_column_unique_value_count_to_be_between": ({"column"} | _BOUNDS, _aggregate_rule("count(distinct {})")),
    "expect_table_row_count_to_be_between": ({"min_value", "max_value"}, lambda a: Runnable(None, [_row_count(a)])),
    "expect_table_row_count_to_equal": ({"value"}, lambda a: Runnable(
        None, [_row_count({"min_value": a["value"], "max_value": a["value"]})])),
    "expect_column_pair_values_a_to_be_greater_than_b": (
        {"column_A", "column_B", "or_equal", "mostly", "ignore_row_if"},
        _pair(lambda a: ">=" if a.get("or_equal") else ">")),
    "expect_column_pair_values_to_be_equal": ({"column_A", "column_B", "mostly", "ignore_row_if"},
                                              _pair(lambda a: "=")),
}
MAPPED = frozenset(_BUILDERS)
