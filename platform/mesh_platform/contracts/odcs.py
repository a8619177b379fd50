"""The mapping between a dbt data product and an ODCS v3 contract, shared by export and import."""

from __future__ import annotations

import re

from ..quality.suites import normalise_type

# The JSON schema shipped by open-data-contract-standard (the version it validates).
API_VERSION = "v3.2.0"
KIND = "DataContract"
# Quality rules run by `mesh quality` are Great Expectations expectations: ODCS `custom` rules of this engine.
GX_ENGINE = "greatExpectations"
GX_ENGINE_NAMES = {"greatexpectations", "great-expectations", "great_expectations", "gx"}
# A dbt check constraint travels as an ODCS `sql` rule: no row may break it.
CHECK_QUERY = "select count(*) from ${{table}} where not ({expression})"
CHECK_PATTERN = re.compile(r"^\s*select\s+count\(\s*\*\s*\)\s+from\s+\$\{table\}\s+where\s+not\s+"
                           r"\((?P<expression>.+)\)\s*$", re.IGNORECASE | re.DOTALL)
CHECK_DESCRIPTION = "Check constraint: enforced by the warehouse when the product is built."
# meta.sla keys with an ODCS SLA property of their own; any other key travels under its own name.
SLA_PROPERTIES = {"refresh": "frequency", "available_by": "timeOfAvailability", "max_staleness_hours": "latency"}
LATENCY_UNITS = {"h": 1, "hour": 1, "hours": 1, "d": 24, "day": 24, "days": 24}
TEAM_HANDLE = "teamHandle"
PII_FLAGS = ("pii", "masked")  # column meta flags, carried as the property's custom properties

_LOGICAL = {
    "string": ("varchar", "char", "bpchar", "string", "uuid"),
    "integer": ("tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger",
                "ubigint", "uhugeint", "int2", "short"),
    "number": ("decimal", "double", "real", "float4", "numeric"),
    "date": ("date",),
    "timestamp": ("timestamp", "timestamptz", "timestampwithtimezone", "datetime", "timestamp_s", "timestamp_ms",
                  "timestamp_ns", "timestamp_us"),
    "time": ("time", "timetz"),
    "boolean": ("boolean",),
    "object": ("struct", "json", "map"),  # ODCS's `map` needs key and value definitions: a map is an object here
    "array": ("list",),
}
LOGICAL_TYPES = {physical: logical for logical, physicals in _LOGICAL.items() for physical in physicals}
# The physical type a property with only a logical type gets.
DEFAULT_PHYSICAL = {"string": "varchar", "integer": "integer", "number": "double", "date": "date",
                    "timestamp": "timestamp", "time": "time", "boolean": "boolean"}


def logical_type(physical: str) -> str | None:
    """ODCS's logical type of a warehouse type (`decimal(12,2)` -> number), None for one it has no name for."""
    compact = normalise_type(physical)
    if compact.endswith("]"):
        return "array"
    return LOGICAL_TYPES.get(compact.partition("(")[0])


def exported_logical_type(physical: str) -> str:
    """What an export says: the schema wants a logical type on every property, and text is the fallback
    (blob, interval, bit, ...); the physical type stays the authority."""
    return logical_type(physical) or "string"
