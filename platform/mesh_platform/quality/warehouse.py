"""Where the warehouse is: the DuckDB file of the dbt target, resolved by dbt's own profile reader."""

from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path

from ..errors import MeshError
from ..project import Project


def duckdb_path(project: Project, target: str | None = None) -> Path:
    """The DuckDB file the profile's target writes to (env_var() and all), relative to the project root."""
    import yaml
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context
    from dbt_common.exceptions import DbtBaseException

    profiles_dir = str(project.profiles_dir or Path.home() / ".dbt")
    profile_name = yaml.safe_load((project.root / "dbt_project.yml").read_text(encoding="utf-8"))["profile"]
    set_invocation_context(os.environ)
    set_from_args(Namespace(PROFILES_DIR=profiles_dir), None)
    try:
        profile = Profile.from_raw_profiles(read_profile(profiles_dir), profile_name, ProfileRenderer({}),
                                            target_override=target)
    except DbtBaseException as error:
        raise MeshError(f"cannot read the profile '{profile_name}': {' '.join(str(error).split())}") from None
    if profile.credentials.type != "duckdb":
        raise MeshError(f"mesh quality runs on a DuckDB warehouse; target '{profile.target_name}' is "
                        f"{profile.credentials.type}")
    path = Path(profile.credentials.path)
    return path if path.is_absolute() else project.root / path
