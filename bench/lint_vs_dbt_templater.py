"""Benchmark: `mesh lint` (sqlfluff's Jinja templater, parallel) against sqlfluff with the dbt templater.

    .venv/bin/python bench/lint_vs_dbt_templater.py [--repeat 3]

Both lint the same files (every model and test of the reference mesh, in a temporary copy) in fresh
processes; the dbt templater compiles the project through dbt, as `sqlfluff lint --templater dbt` does.
`mesh lint` runs cold (its cache in target/mesh-lint-cache/ removed before each run) and warm (every file
unchanged since the run before: what a nightly relints when nothing changed).
Needs sqlfluff-templater-dbt (`pip install -e '.[bench]'`; `make bench` does it).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from measure import measure
from reference_copy import copy_reference

DBT_TEMPLATER = """[sqlfluff]
templater = dbt

[sqlfluff:templater:dbt]
project_dir = .
profiles_dir = .
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (the median is reported)")
    args = parser.parse_args(argv)
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    with tempfile.TemporaryDirectory(prefix="mesh-lint-bench-") as tmp:
        root = copy_reference(Path(tmp))
        (root / "dbt-templater.cfg").write_text(DBT_TEMPLATER)
        files = sorted(str(p.relative_to(root)) for top in ("models", "tests") for p in (root / top).rglob("*.sql"))
        command = [sys.executable, "-m", "mesh_platform", "lint"]
        cold = []
        for _ in range(args.repeat):
            shutil.rmtree(root / "target" / "mesh-lint-cache", ignore_errors=True)
            cold.append(measure(command, root))
        warm = [measure(command, root) for _ in range(args.repeat)]
        theirs = [measure([str(sqlfluff), "lint", "--config", "dbt-templater.cfg", *files], root)
                  for _ in range(args.repeat)]
    if any(m.exit_code not in (0, 1) for m in cold + warm + theirs):
        print("a run failed: exit codes", [m.exit_code for m in cold + warm + theirs])
        return 1
    cold_s, warm_s = (statistics.median(m.seconds for m in runs) for runs in (cold, warm))
    dbt_s = statistics.median(m.seconds for m in theirs)
    print("| files | sqlfluff, dbt templater (s) | mesh lint cold (s) | cold ratio | mesh lint warm (s) | warm ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(files)} | {dbt_s:.2f} | {cold_s:.2f} | {cold_s / dbt_s:.2f} | {warm_s:.2f} | {warm_s / dbt_s:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
