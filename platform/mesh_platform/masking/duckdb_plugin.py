"""A dbt-duckdb plugin registering `mesh_pii_mask(varchar) -> varchar` on every connection dbt opens.

profiles.yml names it: `plugins: [{module: mesh_platform.masking.duckdb_plugin, config: {demo_key_file: ...}}]`.
The key is resolved when dbt opens the warehouse, so a build without one stops before any model runs.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from . import MASKING_FUNCTION
from .key import mask, masking_key


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.key = masking_key(plugin_config.get("demo_key_file"))

    def configure_connection(self, conn) -> None:
        register(conn, self.key)


def register(connection, key: bytes) -> None:
    """Make `mesh_pii_mask` callable on a DuckDB connection (the key stays in this process's memory). dbt-duckdb
    configures a connection again when it attaches other databases (a mesh of projects): once is enough."""
    from duckdb.sqltypes import VARCHAR

    registered = connection.execute("select count(*) from duckdb_functions() where function_name = ?",
                                    [MASKING_FUNCTION]).fetchone()[0]
    if registered:
        return
    connection.create_function(MASKING_FUNCTION, lambda value: mask(key, value), [VARCHAR], VARCHAR,
                               null_handling="special", side_effects=False)
