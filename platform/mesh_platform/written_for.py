"""The warehouse a project's SQL is written for, when the project itself says so: a profile named after a dbt
adapter (`profile: snowflake`), or a config key only one adapter takes (`+snowflake_warehouse`). An outside
project is often parsed with a DuckDB output under its profile's name (a stand-in: its own adapter is not
installed here); dbt parses it, but its SQL is that other warehouse's and does not compile on DuckDB."""

from __future__ import annotations

from pathlib import Path

from .project import PROJECT_FILE
from .sql_dialect import SQLGLOT_DIALECTS

ADAPTERS = frozenset(SQLGLOT_DIALECTS) | {"duckdb", "clickhouse", "oracle", "teradata", "vertica", "exasol",
                                          "dremio", "firebolt", "materialize", "singlestore", "starburst"}
# config keys only one adapter takes (dbt's adapter-specific configs), with or without dbt_project.yml's `+`
ADAPTER_CONFIGS = {"snowflake_warehouse": "snowflake", "query_tag": "snowflake", "copy_grants": "snowflake",
                   "transient": "snowflake", "automatic_clustering": "snowflake", "kms_key_name": "bigquery",
                   "require_partition_filter": "bigquery", "partition_expiration_days": "bigquery",
                   "dist": "redshift", "sort": "redshift", "sort_type": "redshift"}


def written_for(root: Path) -> str | None:
    """The adapter type the project at `root` names for its SQL (None: it does not say)."""
    import yaml

    try:
        settings = yaml.safe_load((root / PROJECT_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(settings, dict):
        return None
    profile = str(settings.get("profile") or "").lower()
    if profile in ADAPTERS:
        return profile
    return _config_adapter(settings.get("models"))


def _config_adapter(configs) -> str | None:
    if not isinstance(configs, dict):
        return None
    for key, value in configs.items():
        found = ADAPTER_CONFIGS.get(str(key).lstrip("+")) or _config_adapter(value)
        if found:
            return found
    return None


def foreign(root: Path, parsed_with: str) -> str | None:
    """The warehouse the project is written for, when it is not the adapter it is parsed with (None: the same,
    or the project does not say): its SQL compiles only there."""
    warehouse = written_for(root)
    return warehouse if warehouse and warehouse != parsed_with else None
