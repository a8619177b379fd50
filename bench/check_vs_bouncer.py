"""Benchmark: `mesh check` against dbt-bouncer on synthetic mesh manifests of 1k, 5k and 10k models.

    .venv/bin/python bench/check_vs_bouncer.py [--sizes 1000 5000 10000]

The manifests clone the reference mesh's compiled manifest (see synthetic_manifest.py). dbt-bouncer is
installed from the package registry into bench/.venv-bouncer for this benchmark only, and runs its
closest equivalents of mesh check's rules (bench/dbt-bouncer.yml). Each tool runs in a fresh process
on the same files, in the same run; the table gives wall time, peak memory and the ratio.
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


def bouncer_config(folder: Path, manifest: dict) -> Path:
    domains = sorted(group["name"] for group in manifest["groups"].values())
    text = (BENCH / "dbt-bouncer.yml").read_text().replace("{domains}", json.dumps(domains))
    path = folder / "dbt-bouncer.yml"
    path.write_text(f"dbt_artifacts_dir: {folder}\n{text}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    args = parser.parse_args(argv)
    executable = bouncer()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mesh-bench-") as tmp:
        base = compiled_reference_manifest(Path(tmp))
        for size in args.sizes:
            folder = Path(tmp) / f"models_{size}"
            manifest = synthesize(base, size)
            write_manifest(manifest, folder)
            config = bouncer_config(folder, manifest)
            models, tests = counts(manifest)
            print(f"{models} models, {tests} tests ...", flush=True)
            check = [sys.executable, "-m", "mesh_platform", "check", "--manifest", "manifest.json",
                     "--format", "json", "--output", "mesh-check.json"]
            (folder / "no-sql.yml").write_text("rules: {ACC002: 'off'}\n")
            mesh = measure(check, folder)
            mesh_without_sql = measure([*check, "--config", "no-sql.yml"], folder)
            dbt_bouncer = measure([str(executable), "run", "--config-file", str(config)], folder)
            rows.append((models, tests, mesh, mesh_without_sql, dbt_bouncer))
    print()
    print("| models | tests | mesh check (s) | peak MB | without ACC002 (s) | dbt-bouncer (s) | peak MB "
          "| mesh / dbt-bouncer | without ACC002 / dbt-bouncer |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for models, tests, mesh, no_sql, dbt_bouncer in rows:
        print(f"| {models:,} | {tests:,} | {mesh.seconds:.2f} | {mesh.peak_mb:.0f} | {no_sql.seconds:.2f} | "
              f"{dbt_bouncer.seconds:.2f} | {dbt_bouncer.peak_mb:.0f} | {mesh.seconds / dbt_bouncer.seconds:.2f} | "
              f"{no_sql.seconds / dbt_bouncer.seconds:.2f} |")
    if len(rows) > 1:
        (small, *_), (large, *_) = rows[0], rows[-1]
        growth = rows[-1][2].seconds / rows[0][2].seconds
        print(f"\nmesh check growth {large:,} / {small:,} models: {growth:.1f}x "
              f"(linear would be {large / small:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
