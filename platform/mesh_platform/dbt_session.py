"""dbt, in-process, through dbtRunner: parse the project once, then run commands against that manifest."""

from __future__ import annotations

import contextlib
import gc
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .dbt_messages import essential
from .errors import DbtFailure
from .manifest import Manifest, Mesh
from .project import Project
from .quarantine import QuarantinedDomain, leaving_out, quarantine_for

EventCallback = Callable[[Any], None]
BUILDING = ("build", "run", "seed", "snapshot")  # dbt commands after which the project may compile otherwise


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """dbt resolves relative paths in profiles (the DuckDB file) against the working directory."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


class DbtSession:
    """One project, parsed at most once per session; every command reuses that manifest.

    With `quarantine`, a domain whose files dbt cannot parse is left out and the project parsed again
    (`quarantine.py`): `quarantined` then names each domain left out and why."""

    def __init__(self, project: Project, target: str | None = None, quarantine: bool = False,
                 target_path: Path | None = None, set_aside: Iterable[str] = ()):
        """`target_path`: where dbt writes its artifacts instead of the project's target/; `set_aside`: domains
        whose folders the parse skips, unreported (a later wave's, in a mesh of projects)."""
        self.project = project
        self.target = target
        self.target_path = target_path
        self.quarantine = quarantine
        self.set_aside = tuple(set_aside)
        self.quarantined: dict[str, QuarantinedDomain] = {}
        self.parse_count = 0
        self._manifest = None
        self._mesh: Mesh | None = None
        self._compiled: Manifest | None = None  # the compiled manifest, until a build may change it
        self._warehouse_ready = False

    def base_args(self) -> list[str]:
        args = ["--project-dir", str(self.project.root), "--log-level", "none", "--log-level-file", "debug"]
        if self.project.profiles_dir is not None:
            args += ["--profiles-dir", str(self.project.profiles_dir)]
        if self.target:
            args += ["--target", self.target]
        if self.target_path is not None:
            args += ["--target-path", str(self.target_path)]
        return args

    def manifest(self):
        """dbt's in-memory manifest, parsing the project the first time it is asked for."""
        if self._manifest is None:
            result = self._parse()
            while not result.success and self.quarantine:
                left_out = quarantine_for(result.exception, self.project, self.quarantined)
                if left_out is None:
                    break
                self.quarantined[left_out.name] = left_out
                result = self._parse()
            if not result.success:
                raise DbtFailure(f"dbt could not parse the project: {describe_failure(result, self.project)}")
            self._manifest = result.result
        return self._manifest

    def _parse(self):
        self.parse_count += 1
        return self._run(["parse"], manifest=None, callbacks=())

    def mesh(self) -> Mesh:
        """The parsed project as the platform's manifest model."""
        if self._mesh is None:
            self._mesh = Mesh(self.manifest())
        return self._mesh

    def compiled_manifest(self):
        """The manifest with every node's compiled SQL: parse (once), compile, read what dbt wrote. Compiled
        once until a command builds something (`is_incremental()` and introspective macros compile against
        what is in the warehouse), so the steps of one nightly share it."""
        from .manifest import load_manifest

        if self._compiled is None:
            result = self.invoke(["compile", "--quiet"])
            if not result.success:
                raise DbtFailure(f"dbt could not compile the project: {describe_failure(result, self.project)}")
            self._compiled = load_manifest((self.target_path or self.project.target_dir) / "manifest.json")
        return self._compiled

    def invoke(self, command: list[str], callbacks: Iterable[EventCallback] = ()):
        """Run a dbt command (e.g. ["build", "--select", ...]) on the parsed manifest; return dbt's result.
        Before the first one, the warehouse session gets what masking needs (or the run stops in one line)."""
        manifest = self.manifest()
        if not self._warehouse_ready:
            self._prepare_warehouse(manifest)
        if command and command[0] in BUILDING:
            self._compiled = None
        return self._run(command, manifest=manifest, callbacks=callbacks)

    def _prepare_warehouse(self, manifest) -> None:
        from .masking import masks
        from .masking.key import require_key
        from .masking.session import prepare_warehouse

        self._warehouse_ready = True  # prepare_warehouse invokes dbt itself
        if not masks(manifest):
            return  # a project without the platform's mask_pii (an outside project) needs no key
        try:
            require_key(self.project, self.target)  # a target that masks needs its key, before any node runs
            prepare_warehouse(self)
        except BaseException:
            self._warehouse_ready = False
            raise

    def _run(self, command: list[str], manifest, callbacks: Iterable[EventCallback]):
        from dbt.cli.main import dbtRunner  # imported here: dbt takes a second to import

        runner = dbtRunner(manifest=manifest, callbacks=list(callbacks))
        with working_directory(self.project.root), leaving_out([*self.quarantined, *self.set_aside]):
            try:
                result = runner.invoke([*command, *self.base_args()])
                if result.exception is not None:  # dbt raised: what it was running may still be there
                    release_failed_frames(result.exception)
                    stop_abandoned_pools()
                return result
            finally:
                release_embedded_warehouse()


def release_failed_frames(error: BaseException | None) -> None:
    """Let go of the frames a failed dbt command's exception holds. When a node fails to compile, dbt leaves its
    thread pool running, reachable only from those frames; freed at exit, after the pool's pipes are closed, it
    prints a `Pool.__del__ ... Bad file descriptor` traceback. Freed now (the collection below), it goes quietly.
    What is reported of the error is its message, which stays."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if error.__traceback__ is not None:
            traceback.clear_frames(error.__traceback__)
            error.__traceback__ = None
        error = error.__cause__ or error.__context__


def stop_abandoned_pools() -> None:
    """Stop the thread pools a failed dbt command left running. When a node fails to compile, dbt raises on the
    main thread while the jobs it had already queued stay in its pool, each holding the pool, and the pool's
    threads go on compiling them: still alive at exit, they end the process on a `Pool.__del__ ... Bad file
    descriptor` traceback, or an abort (`terminate called without an active exception`) when one is inside
    DuckDB. `terminate` drops the queued jobs and waits for the one running."""
    from dbt.graph.thread_pool import DbtThreadPool

    for pool in [obj for obj in gc.get_objects() if isinstance(obj, DbtThreadPool) and not obj.is_closed()]:
        pool.close()
        pool.terminate()


def release_embedded_warehouse() -> None:
    """Let go of the DuckDB file dbt-duckdb holds open after a command.

    dbt-duckdb keeps one DuckDB environment per process and reuses it while the credentials compare
    equal; a relative path compares equal across projects, so without this a second project (or a
    reader after a build) would get the first project's database, or a lock error.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing held in-process
        return
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def describe_failure(result, project: Project) -> str:
    """One line for a dbt invocation that did not succeed, and where to look for more."""
    where = f"see {project.relative(project.log_file)}"
    if result.exception is not None:
        return f"{essential(str(result.exception))} ({where})"
    return f"dbt did not finish ({where})"
