"""Shared by commands: the project and dbt session a command works on, and the warehouse lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..dbt_session import DbtSession
from ..project import Project


def open_session(args) -> DbtSession:
    return DbtSession(Project.locate(args.project_dir), target=getattr(args, "target", None))


@contextlib.contextmanager
def hold_warehouse(session: DbtSession, command: str) -> Iterator[None]:
    """Hold the session's warehouse for `command`; refused at once while another run holds it."""
    from ..console import say
    from ..warehouse import lock_path
    from ..warehouse_lock import WarehouseLock

    with WarehouseLock(lock_path(session.project, session.target), command) as lock:
        if lock.taken_over is not None:
            say(f"Took over the warehouse lock left by {lock.taken_over.describe()}, which is no longer running.")
        yield
