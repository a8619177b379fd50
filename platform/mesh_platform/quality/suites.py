"""Quality suites: expectations derived from a product's contract, plus the domain's own, declared in
`<product>.quality.yml` beside the product (reviewed like code; `.dbtignore` keeps dbt from reading it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec

from ..errors import MeshError
from ..project import SUITE_SUFFIX
from ..yaml_input import read_yaml, typed

# Checked by the platform, not GX: GX's type expectation fails on DuckDB query assets (its column-types
# metric raises KeyError 'type'), so column types are compared with what the warehouse describes.
COLUMN_TYPES = "expect_column_types_to_match_contract"
TYPE_ALIASES = {"string": "varchar", "text": "varchar", "int": "integer", "int4": "integer", "int8": "bigint",
                "float8": "double", "float": "double", "numeric": "decimal", "bool": "boolean"}


@dataclass(frozen=True)
class ExpectationSpec:
    type: str  # GX's snake_case name, e.g. expect_column_values_to_be_between
    kwargs: dict = field(default_factory=dict)
    origin: str = "suite"  # "contract" or "suite"

    @property
    def column(self) -> str:
        return str(self.kwargs.get("column") or self.kwargs.get("column_A") or "")

    def label(self) -> str:
        if self.type == COLUMN_TYPES:
            return f"{self.type}({len(self.kwargs['types'])} columns)"
        details = ", ".join(f"{k}={v}" for k, v in self.kwargs.items() if k not in ("column",))
        return f"{self.type}({self.column}{', ' if self.column and details else ''}{details})"


def suite_path(root: Path, product: Any) -> Path:
    sql = PurePosixPath(product["original_file_path"])
    return root / sql.parent / f"{product['name']}{SUITE_SUFFIX}"


def expectation_class(name: str):
    """GX's expectation class for a snake_case name, or None."""
    import great_expectations as gx

    camel = "".join(part.capitalize() for part in name.split("_"))
    candidate = getattr(gx.expectations, camel, None)
    if not (isinstance(candidate, type) and issubclass(candidate, gx.expectations.Expectation)):
        return None
    return candidate if name.startswith("expect_") or name.endswith("_expectation") else None


def build(spec: ExpectationSpec, meta: dict | None = None):
    """The GX expectation object (with `meta`, which GX hands back on its result); a MeshError when GX
    refuses the arguments."""
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as ValidationErrorV1  # GX's expectations use pydantic's v1 API

    try:
        return expectation_class(spec.type)(**spec.kwargs, **({"meta": meta} if meta else {}))
    except (ValidationError, ValidationErrorV1, TypeError) as error:
        first = str(error).splitlines()
        raise MeshError(f"{spec.type}: arguments {spec.kwargs} are not valid ({' '.join(first[:3])})") from None


# GX's arguments that carry SQL of their own (unexpected_rows_query, base_query, comparison_query), and the one
# that points at another data source
OTHER_SOURCE = "comparison_data_source_name"
BATCH = "{batch}"  # GX's stand-in for the product's rows in a query


def query_arguments(spec: ExpectationSpec) -> list[str]:
    """The arguments of an expectation that hold SQL (or name another data source)."""
    return [key for key in spec.kwargs if key.endswith("query") or key == OTHER_SOURCE]


def check_queries(spec: ExpectationSpec, relation: str, where: str) -> None:
    """An expectation's SQL may be one SELECT reading only the product (`{batch}`, or its relation by name);
    anything else (COPY ... TO, ATTACH, another table, another data source) is refused in one line."""
    import duckdb

    from ..check.sql_relations import tables_read

    for key in query_arguments(spec):
        if key == OTHER_SOURCE:
            raise MeshError(f"{where}: {spec.type}: {key} reads another data source; a product's rules read only "
                            f"the product")
        sql = str(spec.kwargs[key]).replace(BATCH, "mesh_batch")
        try:
            statements = duckdb.connect().extract_statements(sql)
        except duckdb.Error:
            statements = []
        if len(statements) != 1 or statements[0].type.name != "SELECT":
            raise MeshError(f"{where}: {spec.type}: {key} must be one SELECT over the product ({BATCH})")
        read = tables_read(sql, "duckdb")
        strays = sorted((read or {"(unreadable SQL)"}) - {"mesh_batch", relation.lower()})
        if read is None or strays:
            raise MeshError(f"{where}: {spec.type}: {key} reads {', '.join(strays)}; a product's rules read only "
                            f"the product ({BATCH})")


def normalise_type(data_type: str) -> str:
    """`DECIMAL(12, 2)` and `decimal(12,2)` alike; a few engine aliases mapped to DuckDB's names."""
    compact = "".join(str(data_type).lower().split())
    base, _, rest = compact.partition("(")
    return TYPE_ALIASES.get(base, base) + (f"({rest}" if rest else "")


def type_mismatches(expected: dict[str, str], described: dict[str, str]) -> list[str]:
    """`column: expected x, found y` for every contract column whose warehouse type differs."""
    return [f"{column}: expected {data_type}, found {described.get(column, 'no such column')}"
            for column, data_type in expected.items()
            if normalise_type(data_type) != normalise_type(described.get(column, ""))]


class _SuiteEntry(msgspec.Struct, forbid_unknown_fields=True):
    type: str
    kwargs: dict[str, Any] | None = None
    notes: str | None = None


class _Suite(msgspec.Struct, forbid_unknown_fields=True):
    expectations: list[_SuiteEntry] | None = None


def suite_entries(path: Path, root: Path) -> list[dict]:
    """A suite file's entries (`type`, `kwargs`, optional `notes`), shape-checked; none without a file."""
    if not path.is_file():
        return []
    where = str(path.relative_to(root))
    data = read_yaml(path, where)
    if not isinstance(data, dict):
        raise MeshError(f"{where}: expected a mapping with the key `expectations` (a list)")
    suite = typed(data, _Suite, where)
    return [{"type": entry.type, "kwargs": dict(entry.kwargs or {}), "notes": entry.notes}
            for entry in suite.expectations or []]


def load_suite(path: Path, root: Path, relation: str = "") -> list[ExpectationSpec]:
    """The expectations a suite file declares (none when there is no file); every mistake is one line.
    `relation`: the product's (`schema.table`), the one relation SQL in an expectation may read."""
    specs = []
    for index, entry in enumerate(suite_entries(path, root)):
        here = f"{path.relative_to(root)} expectations[{index}]"
        if expectation_class(entry["type"]) is None:
            raise MeshError(f"{here}: '{entry['type']}' is not a Great Expectations expectation "
                            f"(e.g. expect_column_values_to_be_between)")
        spec = ExpectationSpec(entry["type"], entry["kwargs"])
        check_queries(spec, relation, here)
        try:
            build(spec)
        except MeshError as error:
            raise MeshError(f"{here}: {error}") from None
        specs.append(spec)
    return specs


def contract_expectations(product: Any) -> list[ExpectationSpec]:
    """What the contract promises: the declared columns in order, their types, not-null columns, a unique key.
    A product without an enforced contract promises only that its documented columns exist."""
    columns = list((product.get("columns") or {}).values())
    if not ((product.get("config") or {}).get("contract") or {}).get("enforced"):
        return [ExpectationSpec("expect_column_to_exist", {"column": column["name"]}, "contract")
                for column in columns]
    specs = [ExpectationSpec("expect_table_columns_to_match_ordered_list",
                             {"column_list": [column["name"] for column in columns]}, "contract")]
    typed = {column["name"]: column["data_type"] for column in columns if column.get("data_type")}
    if typed:
        specs.append(ExpectationSpec(COLUMN_TYPES, {"types": typed}, "contract"))
    for column in columns:
        kinds = {constraint.get("type") for constraint in column.get("constraints") or []}
        if kinds & {"not_null", "primary_key"}:
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", {"column": column["name"]}, "contract"))
        if kinds & {"unique", "primary_key"}:
            specs.append(ExpectationSpec("expect_column_values_to_be_unique", {"column": column["name"]}, "contract"))
    return specs


DEFAULT_SUITE = """\
# Quality suite of the data product {name}, run by `mesh quality` (Great Expectations, in the warehouse).
# The contract's promises are checked without being listed here: the declared columns in order and their
# types, not-null columns and the unique key (without an enforced contract: that the documented columns
# exist). Add the product's own rules, e.g.:
#   - type: expect_column_values_to_be_between
#     kwargs: {{column: amount, min_value: 0}}
#   - type: expect_table_row_count_to_be_between
#     kwargs: {{min_value: 1}}
expectations: []
"""

