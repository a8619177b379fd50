"""`python -m mesh_platform.projects.compile_worker PROJECT_DIR [TARGET]`: parse and compile one project of a
mesh of projects, in this process alone (see subprocess_run); a failure is one `mesh:` line and exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

from ..dbt_session import DbtSession
from ..errors import MeshError
from ..project import Project


def main(argv: list[str]) -> int:
    root, target = Path(argv[0]), (argv[1] if len(argv) > 1 else None)
    try:
        DbtSession(Project.locate(root), target=target).compiled_manifest()
    except MeshError as error:
        print(f"mesh: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
