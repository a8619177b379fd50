"""sqlfluff over many files on every CPU: this process lints a share, fresh interpreters lint the rest.

Each worker is `python -m mesh_platform.lint.workers` given a JSON request (project root, files, fix, the
configuration overrides) in a file on stdin; it writes back what it found. sqlfluff's own parallel runner is
not used: its multiprocessing pool is terminated rather than closed when it ends, which leaves the resource
tracker warning of "leaked semaphore objects" at exit. A worker that fails costs only time: its files are
linted here instead (and a configuration sqlfluff refuses is reported from here, in one line).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from ..child_process import start_worker
from ..dbt_session import working_directory
from ..errors import MeshError

Found = list[tuple[str, int, int, str, str]]  # (path, line, column, code, description) of each violation
PER_WORKER_MIN = 4  # files; a worker takes a second or two to start, so fewer are linted here


def lint_files(root: Path, paths: list[str], fix: bool, overrides: dict[str, str], workers: int) -> Found:
    """Every violation sqlfluff finds in `paths` (after fixing them, with `fix`), over up to `workers` processes,
    the files dealt out round-robin."""
    workers = max(1, min(workers, len(paths) // PER_WORKER_MIN))
    chunks = [paths[index::workers] for index in range(workers)]
    with tempfile.TemporaryDirectory(prefix="mesh-lint-") as folder:
        started = [_start(Path(folder) / str(index), root, chunk, fix, overrides)
                   for index, chunk in enumerate(chunks) if index]
        try:
            found = lint_here(root, chunks[0], fix, overrides)
            for worker, chunk in zip(started, chunks[1:], strict=True):
                found += _finish(worker, root, chunk, fix, overrides)
        finally:  # interrupted: stop the workers too
            for process, _ in started:
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
    return found


def lint_here(root: Path, paths: list[str], fix: bool, overrides: dict[str, str]) -> Found:
    """sqlfluff on `paths` in this process."""
    if not paths:
        return []
    from sqlfluff.core import FluffConfig, Linter, SQLFluffUserError

    with working_directory(root):
        try:
            linter = Linter(config=FluffConfig.from_root(overrides=overrides))  # type: ignore[arg-type]
            if fix:  # sqlfluff reports what it found, fixed or not: lint again for what remains
                linter.lint_paths(tuple(paths), fix=True, apply_fixes=True, processes=1)
            records = linter.lint_paths(tuple(paths), processes=1).as_records()
        except SQLFluffUserError as error:
            raise MeshError(f"sqlfluff refused the configuration: {' '.join(str(error).split())[:300]}") from None
    found: Found = []
    for record in records:
        reported = Path(record["filepath"])  # relative to the project root, where sqlfluff ran
        path = str(PurePosixPath((reported if reported.is_absolute() else root / reported).resolve()
                                 .relative_to(root.resolve())))
        found += [(path, int(violation["start_line_no"]), int(violation["start_line_pos"]),  # type: ignore[arg-type]
                   str(violation["code"]), str(violation["description"])) for violation in record["violations"]]
    return found


def _start(stem: Path, root: Path, paths: list[str], fix: bool,
           overrides: dict[str, str]) -> tuple[subprocess.Popen | None, Path]:
    request = {"root": str(root), "paths": paths, "fix": fix, "overrides": overrides}
    return start_worker(__name__, json.dumps(request).encode(), stem)


def _finish(worker: tuple[subprocess.Popen | None, Path], root: Path, paths: list[str], fix: bool,
            overrides: dict[str, str]) -> Found:
    process, answer = worker
    if process is not None and process.wait() == 0:
        try:
            return [(str(a), int(b), int(c), str(d), str(e)) for a, b, c, d, e in json.loads(answer.read_text())]
        except (OSError, ValueError, TypeError):
            pass
    return lint_here(root, paths, fix, overrides)


def _serve() -> None:
    request = json.loads(sys.stdin.read())
    try:
        found = lint_here(Path(request["root"]), request["paths"], request["fix"], request["overrides"])
    except MeshError:
        sys.exit(2)  # the caller lints these files itself and reports the error
    sys.stdout.write(json.dumps(found))


if __name__ == "__main__":
    _serve()
