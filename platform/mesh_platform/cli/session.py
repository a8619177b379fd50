"""Shared by commands: the project and dbt session a command works on, and the warehouse lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..dbt_session import DbtSession
from ..project import Project


def open_session(args, quarantine: bool = False) -> DbtSession:
    """The command's dbt session; with `quarantine`, domains dbt cannot parse are left out (and said so)."""
    return DbtSession(Project.locate(args.project_dir), target=getattr(args, "target", None), quarantine=quarantine,
                      set_aside=getattr(args, "leave_out", None) or ())


def add_leave_out(parser) -> None:
    parser.add_argument("--leave-out", nargs="+", default=[], metavar="DOMAIN",
                        help="leave these domains' folders out of the parse, as if .dbtignore listed them (a mesh of "
                             "projects leaves out the domains of a later wave)")


def say_quarantined(session: DbtSession) -> None:
    """A line per domain left out of the parse, before the run goes on without it."""
    from ..console import say
    from ..quarantine import described

    for name, left_out in sorted(session.quarantined.items(), key=lambda item: (item[1].upstream is not None, item[0])):
        if left_out.upstream is None:
            say(f"Left out {name}: dbt could not parse {left_out.path}: {described(left_out, session.mesh())}")
        else:
            say(f"Left out {name} too (blocked): {left_out.blocked_by}")


@contextlib.contextmanager
def hold_warehouse(session: DbtSession, command: str) -> Iterator[None]:
    """Hold the session's warehouse for `command`; refused at once while another run holds it."""
    from ..console import say
    from ..warehouse import lock_files
    from ..warehouse_lock import WarehouseLock

    lock_file, database = lock_files(session.project, session.target)
    with WarehouseLock(lock_file, command, database) as lock:
        if lock.taken_over is not None:
            say(f"Took over the warehouse lock left by {lock.taken_over.describe()}, which is no longer running.")
        yield
