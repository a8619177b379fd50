"""Small outside projects written by a test: `mesh` run in this process, and a project adopted with a new domain."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from mesh_platform.cli import main


def mesh(*args) -> tuple[int, str, str]:
    """`mesh ARGS` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def adopted_with_sales(root: Path, files: dict[str, str]) -> Path:
    """`files` written under `root`, adopted (the monolith in legacy), then a `sales` domain made beside it."""
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    assert mesh("adopt", root)[0] == 0
    assert mesh("domain", "new", "sales", "--owner", "Sales", "--email", f"sales@{root.name}.example",
                "--team-handle", f"@{root.name}/sales", "--project-dir", root)[0] == 0
    return root
