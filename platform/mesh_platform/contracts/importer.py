"""Reading a data product's ODCS v3 contract for `mesh product new --from-contract` (contract first).

The contract gives the columns in order, their types, keys, constraints, descriptions, the version, the SLA
and the quality rules, each checked here; scaffold.from_contract writes the product from it. Exporting the
new product gives the contract back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from open_data_contract_standard.model import (
    DataQuality,
    SchemaProperty,
    ServiceLevelAgreementProperty,
)
from pydantic import BaseModel

from ..errors import MeshError
from ..names import PLAIN_COLUMN, sql_reserved_words
from ..quality.suites import ExpectationSpec, build, check_queries, expectation_class, normalise_type, query_arguments
from ..writers.jinja import JINJA_MARKERS
from ..yaml_input import parse_yaml
from . import odcs
from .runnable_rules import is_derived
from .validation import load_contract

PHYSICAL_TYPE = re.compile(r"^[a-z][a-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])*$", re.IGNORECASE)
VERSION = re.compile(r"^[1-9][0-9]{0,5}$")
# What the product is built from; every other key is reported as kept only in the contract.
TOP_KEYS = {"apiVersion", "kind", "id", "name", "version", "status", "domain", "dataProduct", "description", "schema",
            "team", "slaProperties"}
OBJECT_KEYS = {"name", "physicalType", "physicalName", "logicalType", "description", "properties", "quality"}
PROPERTY_KEYS = {"name", "physicalType", "logicalType", "description", "required", "unique", "primaryKey",
                 "primaryKeyPosition", "customProperties", "quality"}

@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    description: str
    primary_key: bool = False
    required: bool = False
    unique: bool = False
    pii: bool = False
    checks: tuple[str, ...] = ()

    @property
    def expression(self) -> str:
        """The skeleton's select target: a typed null (PII through mask_pii, as every product publishes it)."""
        if self.pii:
            return f"{{{{ mask_pii('cast(null as varchar)') }}}} as {self.name}"
        spelt = re.sub(r"\s*,\s*", ", ", re.sub(r"\s*([()])\s*", r"\1", " ".join(self.data_type.lower().split())))
        return f"cast(null as {spelt}) as {self.name}"


@dataclass(frozen=True)
class Contract:
    shown: str  # the file, as the user named it
    name: str
    domain: str | None
    version: int
    status: str
    description: str
    columns: tuple[ContractColumn, ...]
    sla: dict
    expectations: tuple[tuple[ExpectationSpec, str], ...]  # (expectation, notes)
    kept_out: tuple[str, ...]  # fields of the contract the product does not carry

    @property
    def key(self) -> str:
        return next(column.name for column in self.columns if column.primary_key)


def read_contract(path: Path, shown: str) -> Contract:
    """The contract in `path`, checked against the ODCS schema and what a data product must promise."""
    document = load_contract(path, shown)
    kept_out = [key for key in given(document) if key not in TOP_KEYS]
    objects = document.schema_ or []
    if len(objects) != 1:
        raise MeshError(f"{shown}: the contract describes {len(objects)} schema objects; a data product is one table "
                        f"(one contract per product)")
    table = objects[0]
    kept_out += [f"schema[0].{key}" for key in given(table) if key not in OBJECT_KEYS]
    version = str(document.version).strip()
    if not VERSION.match(version):
        raise MeshError(f"{shown}: version '{version}' is not a dbt model version; give the product's major "
                        f"version as a whole number, e.g. '1'")
    purpose = document.description.purpose if document.description else None
    description = str(table.description or purpose or "").strip()
    if not description:
        raise MeshError(f"{shown}: no description; say what one row is and what the product is for in "
                        f"description.purpose")
    properties = table.properties or []
    if not properties:
        raise MeshError(f"{shown}: schema[0] has no properties; a data product declares its columns")
    columns = tuple(_column(shown, index, entry, kept_out) for index, entry in enumerate(properties))
    names = [column.name for column in columns]
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice:
        raise MeshError(f"{shown}: property '{twice}' is declared twice")
    keys = [column.name for column in columns if column.primary_key]
    if len(keys) != 1:
        raise MeshError(f"{shown}: " + ("no property is the primary key; mark the key column `primaryKey: true`"
                                        if not keys else f"a composite primary key ({', '.join(keys)}) is not "
                                        f"supported; a data product has one key column"))
    # rules derived from an expectation are the export's, written again from the expectation
    expectations = [_expectation(shown, f"schema[0].quality[{index}]", rule, None, kept_out)
                    for index, rule in enumerate(table.quality or []) if not is_derived(rule)]
    for index, entry in enumerate(properties):
        for number, rule in enumerate(entry.quality or []):
            if rule.type != "sql" and not is_derived(rule):
                expectations.append(_expectation(shown, f"schema[0].properties[{index}].quality[{number}]", rule,
                                                 entry.name, kept_out))
    return Contract(shown, str(document.name or ""), document.domain, int(version), str(document.status or "active"),
                    description, columns, _sla(shown, document.slaProperties or [], kept_out), tuple(expectations),
                    tuple(kept_out))


def given(model: BaseModel) -> list[str]:
    """The fields a contract's object sets, in the standard's order, by the names the contract spells them
    (`schema`, not `schema_`)."""
    return [field.alias or name for name, field in type(model).model_fields.items() if name in model.model_fields_set]


def _column(shown: str, index: int, entry: SchemaProperty, kept_out: list[str]) -> ContractColumn:
    name = str(entry.name)
    here = f"{shown}: schema[0].properties[{index}] '{name}'"
    kept_out += [f"schema[0].properties[{index}].{key}" for key in given(entry) if key not in PROPERTY_KEYS]
    if not PLAIN_COLUMN.fullmatch(name) or name in sql_reserved_words():
        raise MeshError(f"{here}: not a plain lowercase column name (letters, digits, _; not a SQL keyword)")
    data_type = _physical_type(here, entry)
    description = str(entry.description or "").strip()
    if not description:
        raise MeshError(f"{here}: no description; every column of a data product says what it holds")
    flags = {}
    for number, custom in enumerate(entry.customProperties or []):
        if custom.property in odcs.PII_FLAGS:
            flags[custom.property] = custom.value
        else:
            kept_out.append(f"schema[0].properties[{index}].customProperties[{number}]")
    pii = flags.get("pii") is True
    if pii and (flags.get("masked") is not True or normalise_type(data_type) != "varchar"):
        raise MeshError(f"{here}: personal data is published only masked with mask_pii(), a varchar: set "
                        f"customProperties masked: true and physicalType varchar")
    primary = entry.primaryKey is True
    if primary and pii:
        raise MeshError(f"{here}: the primary key must not be personal data")
    checks = tuple(_check(here, f"schema[0].properties[{index}].quality[{number}]", rule, kept_out)
                   for number, rule in enumerate(entry.quality or []) if rule.type == "sql" and not is_derived(rule))
    return ContractColumn(name, data_type, description, primary, entry.required is True, entry.unique is True, pii,
                          checks)


def _physical_type(here: str, entry: SchemaProperty) -> str:
    logical = entry.logicalType
    data_type = str(entry.physicalType or odcs.DEFAULT_PHYSICAL.get(logical or "") or "").strip()
    if not data_type:
        raise MeshError(f"{here}: no physicalType" + (f" (logicalType {logical} has no default)" if logical else "")
                        + "; give the warehouse type, e.g. varchar, integer, decimal(12,2), date, timestamp")
    if not PHYSICAL_TYPE.match(data_type) or not _known_type(data_type):
        raise MeshError(f"{here}: physicalType '{data_type}' is not a DuckDB type (e.g. varchar, decimal(12,2))")
    derived = odcs.logical_type(data_type)
    if logical and derived and logical != derived:
        raise MeshError(f"{here}: logicalType {logical} does not match physicalType {data_type} ({derived})")
    return data_type


def _known_type(data_type: str) -> bool:
    """DuckDB can cast to it (the type is checked against the pattern first: no SQL gets in)."""
    import duckdb

    with duckdb.connect() as connection:
        try:
            connection.execute(f"select cast(null as {data_type})")
        except duckdb.Error:
            return False
    return True


def _check(here: str, where: str, rule: DataQuality, kept_out: list[str]) -> str:
    """A check constraint from an ODCS sql rule `select count(*) from ${table} where not (EXPR)`, mustBe 0."""
    match = odcs.CHECK_PATTERN.match(str(rule.query or ""))
    if not match or type(rule.mustBe) is not int or rule.mustBe != 0:
        raise MeshError(f"{here}: {where.rpartition('.')[2]}: a sql rule must read `select count(*) from ${{table}} "
                        f"where not (<condition>)` with mustBe: 0 (it becomes a check constraint)")
    expression = match.group("expression").strip()
    if any(marker in expression for marker in JINJA_MARKERS) or not _one_condition(expression):
        raise MeshError(f"{here}: {where.rpartition('.')[2]}: '{expression}' is not one SQL condition")
    kept_out += [f"{where}.{key}" for key in given(rule) if key not in {"type", "query", "mustBe", "description"}]
    return expression


def _one_condition(expression: str) -> bool:
    """Its brackets close within it and no `;` ends it (outside quotes), and DuckDB parses it as a condition."""
    import duckdb

    depth, quote = 0, None
    for character in expression:
        if quote:
            quote = None if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == ";" or (character == ")" and depth == 0):
            return False
        else:
            depth += {"(": 1, ")": -1}.get(character, 0)
    if depth or quote:
        return False
    with duckdb.connect() as connection:
        try:
            return len(connection.extract_statements(f"select 1 from t where not ({expression})")) == 1
        except duckdb.Error:
            return False


def _expectation(shown: str, where: str, rule: DataQuality, column: str | None,
                 kept_out: list[str]) -> tuple[ExpectationSpec, str]:
    """A GX expectation from an ODCS custom rule of engine greatExpectations (the only kind of rule read)."""
    here = f"{shown}: {where}"
    if rule.type != "custom" or str(rule.engine or "").lower() not in odcs.GX_ENGINE_NAMES:
        raise MeshError(f"{here}: a {rule.type or 'library'} rule is not supported here; write it as type "
                        f"custom, engine {odcs.GX_ENGINE}, implementation {{type: expect_..., kwargs: {{...}}}}")
    kept_out += [f"{where}.{key}" for key in given(rule)
                 if key not in {"type", "engine", "implementation", "description"}]
    implementation: Any = rule.implementation
    if isinstance(implementation, str):
        try:
            implementation = parse_yaml(implementation, here)
        except MeshError:
            implementation = None
    if not isinstance(implementation, dict) or set(implementation) - {"type", "kwargs"} \
            or not isinstance(implementation.get("type"), str) \
            or not isinstance(implementation.get("kwargs") or {}, dict):
        raise MeshError(f"{here}: implementation must be {{type: expect_..., kwargs: {{...}}}}")
    kwargs = dict(implementation.get("kwargs") or {})
    if column and not {"column", "column_A", "column_B", "column_list"} & set(kwargs):
        kwargs["column"] = column
    return ExpectationSpec(implementation["type"], kwargs), str(rule.description or "").strip()


def _sla(shown: str, entries: list[ServiceLevelAgreementProperty], kept_out: list[str]) -> dict:
    """meta.sla from the SLA properties: latency -> max_staleness_hours, and so on."""
    names = {odcs_name: key for key, odcs_name in odcs.SLA_PROPERTIES.items()}
    sla: dict[str, Any] = {}
    for index, entry in enumerate(entries):
        key = names.get(str(entry.property), str(entry.property))
        value = entry.value
        extra = set(given(entry)) - {"property", "value"}
        if key == "max_staleness_hours":
            unit = str(entry.unit or "h").lower()
            if unit not in odcs.LATENCY_UNITS or isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or value <= 0:
                raise MeshError(f"{shown}: slaProperties[{index}]: latency must be a positive number of hours or "
                                f"days (unit h or d)")
            value = value * odcs.LATENCY_UNITS[unit]
            extra.discard("unit")
        kept_out += [f"slaProperties[{index}].{field}" for field in sorted(extra)]
        sla[key] = value
    if "max_staleness_hours" not in sla:
        raise MeshError(f"{shown}: no latency SLA; a data product promises how fresh it is, e.g. slaProperties: "
                        f"[{{property: latency, value: 24, unit: h}}]")
    return sla


def check_expectations(contract: Contract, allow_queries: bool = False) -> None:
    """Every quality rule is a Great Expectations expectation with valid arguments (imports GX: a few seconds).
    A rule carrying SQL of its own is refused unless the product's owner allows it (`allow_queries`), and even
    then it may read only the product."""
    for spec, _ in contract.expectations:
        if query_arguments(spec):
            if not allow_queries:
                raise MeshError(f"{contract.shown}: quality rule {spec.type} carries SQL of its own "
                                f"({', '.join(query_arguments(spec))}); a contract's rules do not run SQL unless the "
                                f"product's owner allows it (--allow-query-rules)")
            check_queries(spec, "", contract.shown)
        if expectation_class(spec.type) is None:
            raise MeshError(f"{contract.shown}: quality rule '{spec.type}' is not a Great Expectations expectation "
                            f"(e.g. expect_column_values_to_be_between)")
        try:
            build(spec)
        except MeshError as error:
            raise MeshError(f"{contract.shown}: {error}") from None
