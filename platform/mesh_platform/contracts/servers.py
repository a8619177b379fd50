"""The ODCS `servers` entry of a contract: where the product can be read, from the profile's target.

A tool such as datacontract-cli connects to the first server and reads the schema object's `physicalName`
inside the server's `schema`, so the entry names the product's own schema and the table is named bare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """What a contract's server entry needs of the dbt target: its name and its connection fields (ODCS names),
    or none when no ODCS server type can reach it (say why in `unreachable`)."""
    name: str
    fields: dict[str, Any] | None
    unreachable: str = ""
    schema_field: str = "schema"  # the server field that names the product's schema

    def servers(self, schema: str) -> list[dict]:
        """The contract's `servers` list for a product in `schema` (empty when the target has no server)."""
        if self.fields is None:
            return []
        return [{"server": self.name, **self.fields, self.schema_field: schema}]


def target_of(name: str, credentials: Any) -> Target:
    """The ODCS server fields of a dbt target's credentials (dbt-duckdb, dbt-postgres, dbt-spark)."""
    kind = str(getattr(credentials, "type", ""))
    if kind == "duckdb":
        path = str(credentials.path)
        if path == ":memory:":
            return Target(name, None, "an in-memory DuckDB database outlives no run")
        # as the profile says it: relative paths are relative to the project root, where dbt runs
        return Target(name, {"type": "duckdb", "database": path})
    if kind in ("postgres", "redshift"):
        return Target(name, {"type": kind, "host": str(credentials.host), "port": int(credentials.port),
                             "database": str(credentials.database)})
    if kind == "spark":
        method = str(getattr(credentials, "method", ""))
        if method == "thrift":
            # Hive has databases, no schemas: the product's schema is its database
            return Target(name, {"type": "hive", "host": str(credentials.host), "port": int(credentials.port)},
                          schema_field="database")
        return Target(name, None, f"a Spark target of method {method} has no server another tool can connect to")
    return Target(name, None, f"the platform does not map {kind or 'this'} targets to ODCS servers yet")


def profile_target(project: Any, target: str | None = None) -> Target:
    """The Target of the profile's target (`target`, or the profile's default) for `project`."""
    from ..warehouse import target_credentials

    name, credentials = target_credentials(project, target)
    return target_of(name, credentials)
