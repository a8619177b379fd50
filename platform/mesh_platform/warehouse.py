"""Where the warehouse is: the dbt target's credentials, read by dbt's own profile reader."""

from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path

from .errors import MeshError
from .project import Project


def target_credentials(project: Project, target: str | None = None):
    """The credentials of the profile's target (env_var() and all rendered), as dbt reads them."""
    import yaml
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context
    from dbt_common.exceptions import DbtBaseException

    profiles_dir = str(profiles_folder(project))
    profile_name = yaml.safe_load((project.root / "dbt_project.yml").read_text(encoding="utf-8"))["profile"]
    set_invocation_context(os.environ)
    set_from_args(Namespace(PROFILES_DIR=profiles_dir), None)
    try:
        profile = Profile.from_raw_profiles(read_profile(profiles_dir), profile_name, ProfileRenderer({}),
                                            target_override=target)
    except DbtBaseException as error:
        raise MeshError(f"cannot read the profile '{profile_name}': {' '.join(str(error).split())}") from None
    return profile.target_name, profile.credentials


def profiles_folder(project: Project) -> Path:
    """Where dbt reads profiles.yml: the project's own, else `DBT_PROFILES_DIR`, else `~/.dbt/`."""
    return project.profiles_dir or Path(os.environ.get("DBT_PROFILES_DIR") or Path.home() / ".dbt")


def duckdb_path(project: Project, target: str | None = None) -> Path:
    """The DuckDB file the profile's target writes to, relative to the project root."""
    target_name, credentials = target_credentials(project, target)
    if credentials.type != "duckdb":
        raise MeshError(f"mesh quality runs on a DuckDB warehouse; target '{target_name}' is {credentials.type}")
    path = Path(credentials.path)
    return path if path.is_absolute() else project.root / path


def lock_files(project: Project, target: str | None = None) -> tuple[Path, Path | None]:
    """The lock file guarding the target's warehouse, and the DuckDB file it guards (None for other engines).

    Beside a DuckDB file, found through symlinks (every path to one file shares one lock); else in target/ per
    target."""
    target_name, credentials = target_credentials(project, target)
    if credentials.type == "duckdb" and credentials.path != ":memory:":
        path = Path(credentials.path)
        database = (path if path.is_absolute() else project.root / path).resolve()
        return database.with_name(f"{database.name}.lock"), database
    return project.target_dir / f"warehouse-{target_name}.lock", None


def warehouse_columns(project: Project, target: str | None = None):
    """The columns of every relation in the target's DuckDB file (`schema.table` -> {column: type}, lower-cased),
    read-only; None when the target is not a built DuckDB file or it cannot be read now (a build holds it)."""
    try:
        path = duckdb_path(project, target)
    except MeshError:
        return None
    return duckdb_columns(path)


def duckdb_columns(path: Path):
    """duckdb_columns of one DuckDB file (see warehouse_columns); None when it cannot be read."""
    import duckdb

    if not path.is_file():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            rows = connection.sql("select table_schema, table_name, column_name, data_type "
                                  "from information_schema.columns").fetchall()
    except duckdb.Error:
        return None
    columns: dict[str, dict[str, str]] = {}
    for schema, table, column, data_type in rows:
        columns.setdefault(f"{schema}.{table}".lower(), {})[column.lower()] = str(data_type).lower()
    return columns
