"""Where the dbt project is, and the paths the platform reads and writes inside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import MeshError

PROJECT_FILE = "dbt_project.yml"
SUITE_SUFFIX = ".quality.yml"  # a data product's quality suite beside its SQL: <product>.quality.yml


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def locate(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above `start` (default: the working folder) holding dbt_project.yml; a change
        left unfinished there by a killed command (`.mesh-journal/`) is rolled back first, and said so."""
        here = (start or Path.cwd()).resolve()
        if start is not None and not here.is_dir():
            raise MeshError(f"project folder {here} does not exist; pass --project-dir with the repo's root")
        for folder in (here, *here.parents):
            if (folder / PROJECT_FILE).is_file():
                from .git import repository_root
                from .journal import recover

                recover(folder)  # a change a kill left half made is undone before anything reads the tree
                if repository_root(folder) != folder:  # `mesh adopt` of a project in a sub-folder journals there
                    recover(repository_root(folder))
                return cls(folder)
        raise MeshError(f"no {PROJECT_FILE} in {here} or above it; run mesh inside the repo or pass --project-dir")

    @property
    def profiles_dir(self) -> Path | None:
        """The repo's own profiles.yml folder, else None to let dbt look in its usual places."""
        return self.root if (self.root / "profiles.yml").is_file() else None

    @property
    def target_dir(self) -> Path:
        return self.root / "target"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "dbt.log"

    def relative(self, path: Path) -> str:
        """`path` relative to the project root where it lies inside it, for short messages."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
