"""Benchmark: `mesh check` against dbt-bouncer on synthetic mesh manifests of 1k, 5k and 10k models.

    .venv/bin/python bench/check_vs_bouncer.py [--sizes 1000 5000 10000] [--repeat 5]

The manifests clone the reference mesh's compiled manifest (see synthetic_manifest.py). dbt-bouncer is
installed from the package registry into bench/.venv-bouncer for this benchmark only, and runs its
closest equivalents of mesh check's rules (bench/dbt-bouncer.yml). Each tool runs in a fresh process on
the same files, in the same run, their runs interleaved; every figure is the median of `--repeat` runs
(peak memory: the highest).

`mesh check` keeps what it derives from a manifest in `mesh-check-cache/` beside it (the manifest's facts
and the tables each compiled SQL statement reads). *Cold* runs start with no cache (it is deleted before
each one); *warm* runs find the cache the previous run left; *new manifest* runs read a fresh copy of the
manifest (another file, so its facts are not cached) beside the cold run's SQL cache: CI that keeps the
cache between builds, where dbt writes a new manifest each time. All three must give the same report.
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from measure import Measurement, measure
from mesh_platform.check.cache_file import CACHE_DIR
from mesh_platform.check.manifest_cache import FILE as FACTS_FILE
from mesh_platform.check.relation_cache import FILE as RELATIONS_FILE
from reference_copy import copy_reference
from synthetic_manifest import counts, synthesize, write_manifest

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BOUNCER_VENV = BENCH / ".venv-bouncer"
BOUNCER_VERSION = "4.3.0"


def bouncer() -> Path:
    executable = BOUNCER_VENV / "bin" / "dbt-bouncer"
    if not executable.exists():
        print(f"Installing dbt-bouncer {BOUNCER_VERSION} into {BOUNCER_VENV.relative_to(REPO)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BOUNCER_VENV)], check=True)
        subprocess.run([str(BOUNCER_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        f"dbt-bouncer=={BOUNCER_VERSION}"], check=True)
    return executable


def compiled_reference_manifest(workdir: Path) -> dict:
    """The reference mesh's manifest with compiled SQL, from a copy of the project (the repo is untouched)."""
    from mesh_platform.dbt_session import DbtSession
    from mesh_platform.project import Project

    project = copy_reference(workdir)
    DbtSession(Project(project)).compiled_manifest()
    return json.loads((project / "target" / "manifest.json").read_text())


def compile_platform() -> None:
    """Byte-compile mesh_platform as an install does (dbt-bouncer's install is compiled; this repo's editable
    install is not, and PYTHONDONTWRITEBYTECODE may be set), so that neither tool is timed compiling itself."""
    import mesh_platform

    compileall.compile_dir(Path(mesh_platform.__file__).parent, quiet=1)


def bouncer_config(folder: Path, manifest: dict) -> Path:
    domains = sorted(group["name"] for group in manifest["groups"].values())
    text = (BENCH / "dbt-bouncer.yml").read_text().replace("{domains}", json.dumps(domains))
    path = folder / "dbt-bouncer.yml"
    path.write_text(f"dbt_artifacts_dir: {folder}\n{text}")
    return path


@dataclass(frozen=True)
class Row:
    models: int
    tests: int
    bouncer: Measurement
    cold: Measurement
    warm: Measurement
    new_manifest: Measurement


def median(runs: tuple[Measurement, ...]) -> Measurement:
    """The median time, the highest peak memory; an exit code only when every run agreed on it."""
    codes = {run.exit_code for run in runs}
    return Measurement(statistics.median(run.seconds for run in runs), max(run.peak_mb for run in runs),
                       codes.pop() if len(codes) == 1 else -1)


def measure_size(folder: Path, executable: Path, repeat: int) -> tuple[Measurement, ...]:
    """(dbt-bouncer, mesh check cold, warm, new manifest) on the manifest in `folder`, the runs interleaved so
    that a busy spell on the machine slows all of them alike."""
    check = [sys.executable, "-m", "mesh_platform", "check", "--manifest", "manifest.json", "--format", "json",
             "--output"]
    cache, rebuilt = folder / CACHE_DIR, folder / "new-manifest"
    runs = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        runs.append((measure([str(executable), "run", "--config-file", str(folder / "dbt-bouncer.yml")], folder),
                     measure([*check, "cold.json"], folder), measure([*check, "warm.json"], folder),
                     measure([*check, "../new.json"], _new_manifest(folder, rebuilt))))
    reports = {(folder / name).read_bytes() for name in ("cold.json", "warm.json", "new.json")}
    if len(reports) != 1:
        raise SystemExit(f"{folder.name}: the cold, warm and new-manifest reports differ")
    if not (cache / FACTS_FILE).is_file():
        print(f"  note: {folder.name}'s facts were not cached (manifest written too recently?)", flush=True)
    return tuple(median(tool_runs) for tool_runs in zip(*runs, strict=False))


def _new_manifest(folder: Path, rebuilt: Path) -> Path:
    """A copy of the manifest (another file) in `rebuilt`, beside a copy of the SQL cache the cold run left."""
    shutil.rmtree(rebuilt, ignore_errors=True)
    (rebuilt / CACHE_DIR).mkdir(parents=True)
    shutil.copyfile(folder / "manifest.json", rebuilt / "manifest.json")
    shutil.copyfile(folder / CACHE_DIR / RELATIONS_FILE, rebuilt / CACHE_DIR / RELATIONS_FILE)
    return rebuilt


def table(rows: list[Row]) -> list[str]:
    runs = ("cold", "warm", "new manifest")
    lines = ["| models | tests | dbt-bouncer (s) | peak MB | "
             + " | ".join(f"mesh check {run} (s) | peak MB | {run} / dbt-bouncer" for run in runs) + " |",
             "|---:|---:|---:|---:|" + "---:|---:|---:|" * len(runs)]
    for row in rows:
        b = row.bouncer
        cells = [f"{m.seconds:.2f} | {m.peak_mb:.0f} | {m.seconds / b.seconds:.2f}"
                 for m in (row.cold, row.warm, row.new_manifest)]
        lines.append(f"| {row.models:,} | {row.tests:,} | {b.seconds:.2f} | {b.peak_mb:.0f} | {' | '.join(cells)} |")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        lines += ["", f"mesh check growth {large.models:,} / {small.models:,} models: "
                      f"cold {large.cold.seconds / small.cold.seconds:.1f}x, "
                      f"warm {large.warm.seconds / small.warm.seconds:.1f}x, "
                      f"new manifest {large.new_manifest.seconds / small.new_manifest.seconds:.1f}x "
                      f"(linear would be {large.models / small.models:.1f}x)"]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each tool per size (default: 5)")
    args = parser.parse_args(argv)
    executable = bouncer()
    compile_platform()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mesh-bench-") as tmp:
        base = compiled_reference_manifest(Path(tmp))
        folders = []
        for size in args.sizes:  # every manifest is written before any is timed
            folder = Path(tmp) / f"models_{size}"
            manifest = synthesize(base, size)
            write_manifest(manifest, folder)
            bouncer_config(folder, manifest)
            folders.append((folder, *counts(manifest)))
        for folder, models, tests in folders:
            print(f"{models} models, {tests} tests ...", flush=True)
            rows.append(Row(models, tests, *measure_size(folder, executable, args.repeat)))
    print()
    print("\n".join(table(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
