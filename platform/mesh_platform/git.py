"""git, for the commands that compare with a ref: one way to run it and to say why it failed."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import MeshError, one_line

# A ref as a user may give it: not an option (`--output=...`), no spaces or control characters.
REF = re.compile(r"^(?!-)[^\s\x00-\x1f\x7f~^:?*\[\\]+(?:[~^][0-9]*)*$")


def git(root: Path, *args: str, what: str = "git") -> str:
    """Run git in `root`; its output, or a MeshError naming `what` failed and git's own reason."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        raise MeshError(f"{what} needs git, which is not installed") from None
    if result.returncode != 0:
        detail = one_line(result.stderr, 200) or f"git {' '.join(args)} failed"
        raise MeshError(f"{what}: {detail}")
    return result.stdout


def repository_root(folder: Path) -> Path:
    """The root of the git repository holding `folder` (the nearest with `.git`), else `folder` itself."""
    folder = folder.resolve()
    return next((parent for parent in (folder, *folder.parents) if (parent / ".git").exists()), folder)


def check_ref(ref: str, what: str) -> str:
    """A ref given on the command line, refused when it could be read as an option or is not a ref's shape."""
    if not REF.match(ref):
        raise MeshError(f"{what} '{one_line(ref, 60)}' is not a git ref (a branch, tag or commit, e.g. origin/main)")
    return ref


def commit_of(root: Path, ref: str, what: str) -> str | None:
    """The commit `ref` names in the repository at `root`, None when it names none."""
    check_ref(ref, what)
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                   what=what).strip() or None
    except MeshError:
        return None


def prefix(root: Path, what: str = "git") -> str:
    """`root`'s path inside its repository (`""` at the top, else ending in `/`)."""
    return git(root, "rev-parse", "--show-prefix", what=what).strip()


def changed_files(root: Path, base: str) -> set[str]:
    """Files changed against git ref `base` (committed since, staged, unstaged) and untracked ones, relative
    to `root`."""
    what = f"cannot list changed files against '{one_line(base, 60)}'"
    inside = prefix(root, what)
    commit = commit_of(root, base, "--base")  # refuses an option-like ref before git ever sees it
    if commit is None:
        raise MeshError(f"{what}: it names no commit of this repository")
    changed = git(root, "diff", "--name-only", "--diff-filter=ACMR", "--relative", "--end-of-options", commit, "--",
                  what=what).splitlines()
    changed += git(root, "ls-files", "--others", "--exclude-standard", "--", what=what).splitlines()
    return {path[len(inside):] if inside and path.startswith(inside) else path for path in changed if path}


@contextlib.contextmanager
def worktree(root: Path, commit: str, what: str) -> Iterator[Path]:
    """The repository at `commit`, checked out into a temporary folder (removed afterwards); yields the
    folder that corresponds to `root` there."""
    inside = prefix(root, what)
    folder = Path(tempfile.mkdtemp(prefix="mesh-worktree-"))
    tree = folder / "tree"
    try:
        git(root, "worktree", "add", "--detach", "--quiet", "--", str(tree), commit, what=what)
        yield tree / inside
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=root, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
