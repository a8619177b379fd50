"""Benchmark: `mesh catalog` on the reference mesh and on a synthetic 5,000-model manifest.

    .venv/bin/python bench/catalog_scale.py [--sizes 5000]

The reference project is copied into a temporary folder and built there (`mesh build`: seeds, models,
tests), then `mesh catalog` is timed in a fresh process, dbt's parse included. The synthetic manifests clone
that build's manifest (synthetic_manifest.py) and are catalogued with `mesh catalog --manifest` in the same
project, so the warehouse is read as well (the clones' relations are not in it: no samples for them). Each
line gives the wall time, the peak memory, the pages and files written and the largest file of the site.
Targets: the reference mesh in 10 s or less, 5,000 models in 60 s or less, no file over 2 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measure
from reference_copy import copy_reference
from synthetic_manifest import counts, synthesize, write_manifest

BENCH = Path(__file__).resolve().parent
LIMITS = {"reference": 10.0, "synthetic": 60.0}
PAGE_LIMIT = 2 * 1024 * 1024


def built_reference(workdir: Path) -> Path:
    project = copy_reference(workdir)
    print("Building the reference mesh in a temporary copy ...", flush=True)
    subprocess.run([sys.executable, "-m", "mesh_platform", "build", "--quiet"], cwd=project, check=True,
                   stdout=subprocess.DEVNULL)
    return project


def site_sizes(folder: Path) -> tuple[int, int, str, int]:
    """Pages, files, and the largest file (path, bytes) of a written site."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    largest = max(files, key=lambda path: path.stat().st_size)
    return (sum(path.suffix == ".html" for path in files), len(files), str(largest.relative_to(folder)),
            largest.stat().st_size)


def run(label: str, command: list[str], project: Path, site: Path, models: int, limit: float) -> dict:
    result = measure(command, project)
    if result.exit_code != 0:
        raise SystemExit(f"{label}: mesh catalog exited {result.exit_code}")
    pages, files, largest, size = site_sizes(site)
    row = {"case": label, "models": models, "seconds": round(result.seconds, 2), "peak_mb": round(result.peak_mb),
           "pages": pages, "files": files, "largest": largest, "largest_kb": round(size / 1024),
           "within_time": result.seconds <= limit, "within_page_size": size <= PAGE_LIMIT}
    print(json.dumps(row), flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="mesh-bench-catalog-") as tmp:
        project = built_reference(Path(tmp))
        base = json.loads((project / "target" / "manifest.json").read_text())
        models, _ = counts(base)
        rows.append(run("reference mesh", [sys.executable, "-m", "mesh_platform", "catalog"], project,
                        project / "target" / "catalog", models, LIMITS["reference"]))
        for size in args.sizes:
            manifest = synthesize(base, size)
            path = write_manifest(manifest, Path(tmp) / f"models_{size}")
            site = Path(tmp) / f"site_{size}"
            models, _ = counts(manifest)
            rows.append(run(f"synthetic {size}", [sys.executable, "-m", "mesh_platform", "catalog", "--manifest",
                                                  str(path), "--output", str(site)], project, site, models,
                            LIMITS["synthetic"]))
    print()
    print("| case | models | mesh catalog (s) | peak MB | pages | files | largest file | KB |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        print(f"| {row['case']} | {row['models']:,} | {row['seconds']:.2f} | {row['peak_mb']} | {row['pages']:,} | "
              f"{row['files']:,} | {row['largest']} | {row['largest_kb']:,} |")
    return 0 if all(row["within_time"] and row["within_page_size"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
