"""Great Expectations on DuckDB, evaluated in the warehouse through GX's SQL datasource.

GX keeps one SQLAlchemy connection open only for the dialects it lists (sqlite, SQL Server, BigQuery,
Databricks); for any other it closes the connection before fetching a metric's rows, and DuckDB's result
dies with its connection, so every expectation came back unresolved. This datasource's execution engine
overrides GX's public `get_connection()` to reuse one connection. The quality tests, where expectations
must pass and must fail with exact counts, fail if a GX release changes that contract.
"""

from __future__ import annotations

import builtins
import os
from contextlib import contextmanager
from typing import Any, Literal

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage analytics, before GX is imported

from great_expectations.datasource.fluent import SQLDatasource  # noqa: E402
from great_expectations.execution_engine import SqlAlchemyExecutionEngine  # noqa: E402


class PersistentConnectionEngine(SqlAlchemyExecutionEngine):
    """GX's SQLAlchemy engine, holding one connection for all metrics (and closing it on request)."""

    _mesh_connection: Any = None

    @contextmanager
    def get_connection(self):
        if getattr(self, "_mesh_connection", None) is None:
            self._mesh_connection = self.engine.connect()
        yield self._mesh_connection

    def release(self) -> None:
        connection = getattr(self, "_mesh_connection", None)
        if connection is not None:
            connection.close()
            self._mesh_connection = None
        self.engine.dispose()


class DuckDBWarehouseDatasource(SQLDatasource):
    """A SQL datasource for a DuckDB file whose metrics all run on one connection."""

    type: Literal["mesh_duckdb"] = "mesh_duckdb"  # type: ignore[assignment]  # GX's way to name a datasource type

    @property
    def execution_engine_type(self) -> builtins.type[SqlAlchemyExecutionEngine]:
        return PersistentConnectionEngine
