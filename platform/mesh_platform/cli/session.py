"""Shared by commands: the project and dbt session a command works on."""

from __future__ import annotations

from ..dbt_session import DbtSession
from ..project import Project


def open_session(args) -> DbtSession:
    return DbtSession(Project.locate(args.project_dir), target=getattr(args, "target", None))
