"""Benchmark: the mesh end to end on generated data (`mesh demo-data`), Parquet read in place, at scale.

    .venv/bin/python bench/scale.py [--scales 10 100] [--repeat 2] [--work-dir DIR]

Everything runs on a copy of the project in a temporary folder (raw data, warehouses, reports: never in
the repo), each command in a fresh process (bench/measure.py: wall time, peak memory); timed commands run
REPEAT times, alternating, and the best time counts (this VM's timings vary by tens of percent). One
markdown table, each row a ratio measured in this run:

(a) full build: `mesh build --full-refresh` into a new warehouse against the floor, the SQL dbt ran for
    that build (target/run: each model's DDL and each test's query, in the order dbt finished them) run
    straight in one DuckDB connection on a new database, in a fresh process;
(b) the nightly of one new day at the largest scale: the last day of the year held back and a full nightly
    as of the day before, then the day added and `mesh nightly --only-new` (what the new day reaches, with
    the nightly's test window) against `mesh nightly --full-refresh` of the same data; beside it, `mesh build`
    (incremental, every model; once more testing every row) against `mesh build --full-refresh`, the
    incremental products' checksums equal, their own time, and what any `mesh build` costs (scale 1,
    nothing new);
(c) dbt parses in one `mesh nightly` (its summary.json, and dbt's own "Performance info" log lines);
(d) peak memory at the largest scale, against the machine's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measure import Measurement, measure
from reference_copy import copy_reference

MESH = str(Path(sys.executable).with_name("mesh"))
END, DAY_BEFORE = "2025-12-31", "2025-12-30"
TEST_WINDOW_DAYS = "4"  # what the nightly workflow sets: the large facts' tests cover the days it rebuilt
PRODUCTS = ("partners.merchant_daily_takings_v1", "collections.repayments_v1",
            "collections.advance_performance_daily_v1")
INCREMENTAL_MODELS = ("model.mesh.merchant_daily_takings.v1", "model.mesh.repayments.v1",
                      "model.mesh.advance_performance_daily.v1")


def mesh(project: Path, *args: str, expect: tuple[int, ...] = (0,)) -> Measurement:
    result = measure([MESH, "--project-dir", str(project), *args], project)
    if result.exit_code not in expect:
        log = project / "logs" / "dbt.log"
        raise SystemExit(f"mesh {' '.join(args)} exited {result.exit_code}; see {log}")
    return result


def floor_sql(project: Path) -> list[tuple[str, str]]:
    """(kind, SQL) of every model and test dbt ran in the last build, in the order they finished."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    done = [r for r in results if r["status"] in ("success", "pass")  # seeds (no SQL of their own) left out
            and manifest["nodes"].get(r["unique_id"], {}).get("compiled_path")]
    done.sort(key=lambda r: next(t["completed_at"] for t in r["timing"] if t["name"] == "execute"))
    schemas = sorted({manifest["nodes"][r["unique_id"]]["schema"] for r in done})
    statements = [("schema", f'create schema if not exists "{schema}"') for schema in schemas]
    for result in done:
        node = manifest["nodes"][result["unique_id"]]
        if node["resource_type"] == "test":  # its query, counted (dbt's run file of a test that stores its
            sql = (project / node["compiled_path"]).read_text()  # failures reads the table it stored them in)
            statements.append(("test", f"select count(*) from (\n{sql}\n) as dbt_internal_test"))
            continue
        path = project / node["compiled_path"].replace("target/compiled/", "target/run/", 1)
        sql = re.sub(r"__dbt_tmp\b", "", path.read_text())  # the relation's own name, no swap needed
        statements.append((node["resource_type"], sql))
    return statements


RUN_FLOOR = """
import json, sys, duckdb
from mesh_platform.masking.duckdb_plugin import register
from mesh_platform.masking.key import masking_key
statements = json.load(open(sys.argv[1]))
with duckdb.connect(sys.argv[2]) as connection:
    register(connection, masking_key(sys.argv[3]))  # the keyed PII mask, as dbt-duckdb's plugin registers it
    for kind, sql in statements:
        result = connection.execute(sql)
        if kind == "test":
            failures = result.fetchall()[0][0]
            assert failures == 0, sql
"""


def demo_key(project: Path) -> Path:
    """The demo target's masking key file, as the profile's masking plugin names it (relative to the project)."""
    from mesh_platform.project import Project
    from mesh_platform.warehouse import target_credentials

    _, credentials = target_credentials(Project(project), None)
    return project / next(plugin.config["demo_key_file"] for plugin in credentials.plugins
                          if (plugin.config or {}).get("demo_key_file"))


def measure_floor(project: Path, folder: Path) -> Measurement:
    """The same SQL in one connection, on a new database of the same name, in a fresh process."""
    folder.mkdir(parents=True)
    statements = folder / "statements.json"
    statements.write_text(json.dumps(floor_sql(project)))
    database = folder / Path(os.environ["MESH_DUCKDB_PATH"]).name
    result = measure([sys.executable, "-c", RUN_FLOOR, str(statements), str(database), str(demo_key(project))],
                     folder)
    if result.exit_code != 0:
        raise SystemExit("the floor's SQL failed")
    return result


def checksums(database: Path) -> dict[str, tuple]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        return {product: connection.execute(f"select count(*), bit_xor(hash(t)) from {product} as t").fetchone()
                for product in PRODUCTS}


def hold_back(raw: Path, day: str, aside: Path) -> list[tuple[Path, Path]]:
    """Move the day's folder of every daily table out of the raw data; return (where it is, where it was)."""
    from mesh_platform.demo_data.raw_tables import daily_tables

    moved = []
    for table in daily_tables():
        folder = table.day_folder(raw, day)
        if folder.is_dir():
            (aside / table.identifier).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder), str(aside / table.identifier))
            moved.append((aside / table.identifier, folder))
    return moved


def night_steps(project: Path) -> str:
    """The last nightly's steps and their seconds, e.g. `build 4.1 s (12 node(s): ...)`."""
    run_id = (project / "target" / "nightly" / "LATEST").read_text().strip()
    summary = json.loads((project / "target" / "nightly" / run_id / "summary.json").read_text())
    return ", ".join(f"{step['name']} {step['seconds']:.1f}" for step in summary["steps"])


def product_seconds(project: Path) -> float:
    """The incremental products' own time in the last dbt run (dbt's execution time of each)."""
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    return sum(r["execution_time"] for r in results if r["unique_id"] in INCREMENTAL_MODELS)


def best(runs: list[Measurement]) -> Measurement:
    fastest = min(runs, key=lambda run: run.seconds)
    return Measurement(fastest.seconds, max(run.peak_mb for run in runs), fastest.exit_code)


def total_memory_mb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 / 1024


def run_scale(scale: int, work: Path, project: Path, repeat: int, incremental: bool, nightly: bool) -> dict:
    print(f"Scale {scale}: generating ...", flush=True)
    raw = work / f"raw-{scale}"
    generated = mesh(project, "demo-data", "--scale", str(scale), "--out", str(raw), "--quiet")
    rows = json.loads((raw / "_mesh_demo_data.json").read_text())["tables"]
    os.environ["MESH_RAW_DATA_PATH"] = str(raw)
    warehouse = work / f"scale-{scale}" / "mesh.duckdb"
    os.environ["MESH_DUCKDB_PATH"] = str(warehouse)
    out = {"scale": scale, "takings_rows": rows["raw_partners/takings_feed__daily_takings"], "generate": generated}

    print(f"Scale {scale}: (a) full build into a new warehouse, then the same SQL in one DuckDB connection ...",
          flush=True)
    builds, floors = [], []
    for _ in range(repeat):
        shutil.rmtree(warehouse.parent, ignore_errors=True)
        warehouse.parent.mkdir()
        builds.append(mesh(project, "build", "--full-refresh", "--quiet"))
        shutil.rmtree(work / "floor", ignore_errors=True)
        floors.append(measure_floor(project, work / "floor"))
    out["build"], out["floor"] = best(builds), best(floors)
    if incremental:
        print(f"Scale {scale}: (b) build as of {DAY_BEFORE}, add {END}, incremental vs full refresh ...", flush=True)
        moved = hold_back(raw, END, work / f"aside-{scale}")
        os.environ["MESH_AS_OF_DATE"] = DAY_BEFORE
        # the night before (it fails: the ledger is struck on END, so --only-new builds its failures again)
        mesh(project, "nightly", "--full-refresh", "--quiet", expect=(0, 1))
        del os.environ["MESH_AS_OF_DATE"]
        nights = project / "target" / "nightly"
        night_before = {path.name for path in nights.iterdir()}
        for here, there in moved:
            shutil.move(str(here), str(there))
        snapshot = warehouse.with_name("as-of-day-before.duckdb")
        shutil.copyfile(warehouse, snapshot)
        shutil.copyfile(snapshot, warehouse)
        out["incremental_all_tests"] = mesh(project, "build", "--quiet")
        os.environ["MESH_TEST_WINDOW_DAYS"] = TEST_WINDOW_DAYS
        runs, seconds = [], []
        for _ in range(repeat):
            shutil.copyfile(snapshot, warehouse)
            runs.append(mesh(project, "build", "--quiet"))
            seconds.append(product_seconds(project))
        out["incremental"], out["incremental_products"] = best(runs), min(seconds)
        runs = []
        for _ in range(repeat):
            shutil.copyfile(snapshot, warehouse)
            for later in {path.name for path in nights.iterdir()} - night_before:
                (shutil.rmtree if (nights / later).is_dir() else os.remove)(nights / later)
            runs.append(mesh(project, "nightly", "--only-new", "--quiet", expect=(0, 1)))
        out["only_new"], out["only_new_steps"] = best(runs), night_steps(project)
        del os.environ["MESH_TEST_WINDOW_DAYS"]
        incremental_sums = checksums(warehouse)
        runs, seconds = [], []
        for _ in range(repeat):
            runs.append(mesh(project, "build", "--full-refresh", "--quiet"))
            seconds.append(product_seconds(project))
        out["refresh"], out["refresh_products"] = best(runs), min(seconds)
        out["same_rows"] = incremental_sums == checksums(warehouse)
        runs = [mesh(project, "nightly", "--full-refresh", "--quiet", expect=(0, 1)) for _ in range(repeat)]
        out["night_refresh"], out["night_refresh_steps"] = best(runs), night_steps(project)
    if nightly:
        print(f"Scale {scale}: (c) mesh nightly ...", flush=True)
        log = project / "logs" / "dbt.log"
        before = log.stat().st_size if log.exists() else 0
        out["nightly"] = mesh(project, "nightly", "--quiet", expect=(0, 1))
        run_id = (project / "target" / "nightly" / "LATEST").read_text().strip()
        summary = json.loads((project / "target" / "nightly" / run_id / "summary.json").read_text())
        out["parses"] = summary["dbt_parses"]
        with log.open("rb") as handle:
            handle.seek(before)
            out["parse_log_lines"] = handle.read().decode("utf-8", "replace").count("Performance info:")
        out["nightly_status"] = summary["status"]
    return out


def fixed_cost(work: Path, project: Path, repeat: int) -> Measurement:
    """A `mesh build` with nothing new on tiny data (scale 1): what any run costs, whatever the data."""
    raw = work / "raw-any-run"
    mesh(project, "demo-data", "--scale", "1", "--out", str(raw), "--quiet")
    os.environ["MESH_RAW_DATA_PATH"] = str(raw)
    os.environ["MESH_DUCKDB_PATH"] = str(work / "any-run" / "mesh.duckdb")
    Path(os.environ["MESH_DUCKDB_PATH"]).parent.mkdir()
    mesh(project, "build", "--quiet")
    return best([mesh(project, "build", "--quiet") for _ in range(repeat)])


def table(runs: list[dict], command: str, fixed: Measurement) -> str:
    largest = runs[-1]
    lines = ["| | measure | measured | ratio | target |", "|---|---|---|---|---|"]
    cells = [f"scale {r['scale']} ({r['takings_rows']:,} takings rows): {r['build'].seconds:.1f} s vs "
             f"{r['floor'].seconds:.1f} s = {r['build'].seconds / r['floor'].seconds:.2f}x" for r in runs]
    met = "met" if largest["build"].seconds / largest["floor"].seconds <= 1.25 else "NOT met"
    lines.append(f"| (a) | full build: `mesh build --full-refresh` / the same SQL in one DuckDB connection | "
                 f"{'; '.join(cells)} | **{largest['build'].seconds / largest['floor'].seconds:.2f}x** "
                 f"(scale {largest['scale']}) | <= 1.25x at scale 100: {met} |")
    inc = next((r for r in reversed(runs) if "incremental" in r), None)
    if inc is not None:
        ratio = inc["only_new"].seconds / inc["night_refresh"].seconds
        build_ratio = inc["incremental"].seconds / inc["refresh"].seconds
        lines.append(
            f"| (b) | the nightly of one new day on a year of history: `mesh nightly --only-new` / `mesh nightly "
            f"--full-refresh` (the nightly's MESH_TEST_WINDOW_DAYS={TEST_WINDOW_DAYS}) | scale {inc['scale']}: "
            f"{inc['only_new'].seconds:.1f} s (steps, s: {inc['only_new_steps']}) vs "
            f"{inc['night_refresh'].seconds:.1f} s (steps, s: {inc['night_refresh_steps']}); `mesh build`, every "
            f"model: {inc['incremental'].seconds:.1f} s vs {inc['refresh'].seconds:.1f} s = {build_ratio:.2f} "
            f"(every row tested: {inc['incremental_all_tests'].seconds:.1f} s = "
            f"{inc['incremental_all_tests'].seconds / inc['refresh'].seconds:.2f}); "
            f"the three incremental products' own time: "
            f"{inc['incremental_products']:.1f} s vs {inc['refresh_products']:.1f} s = "
            f"{inc['incremental_products'] / inc['refresh_products']:.2f}; products "
            f"{'identical' if inc['same_rows'] else 'DIFFERENT'}; any `mesh build` costs {fixed.seconds:.1f} s "
            f"(scale 1, nothing new) = {fixed.seconds / inc['refresh'].seconds:.2f} of the build's full refresh "
            f"| **{ratio:.2f}** | <= 0.1: {'met' if ratio <= 0.1 else 'NOT met'} |")
    night = next((r for r in runs if "nightly" in r), None)
    if night is not None:
        lines.append(f"| (c) | dbt parses in one `mesh nightly` (scale {night['scale']}, {night['nightly_status']}, "
                     f"{night['nightly'].seconds:.1f} s) | summary.json: {night['parses']}; dbt's log: "
                     f"{night['parse_log_lines']} | **{night['parses']}** | 1: "
                     f"{'met' if night['parses'] == night['parse_log_lines'] == 1 else 'NOT met'} |")
    peaks = {"generate": largest["generate"], "full build": largest["build"], "floor": largest["floor"]}
    if "incremental" in largest:
        peaks.update({"incremental": largest["incremental"], "full refresh": largest["refresh"],
                      "nightly --only-new": largest["only_new"], "nightly --full-refresh": largest["night_refresh"]})
    peak = max(m.peak_mb for m in peaks.values())
    memory = total_memory_mb()
    lines.append(f"| (d) | peak memory at scale {largest['scale']} (max RSS of each command) | "
                 + "; ".join(f"{name} {m.peak_mb / 1024:.2f} GB" for name, m in peaks.items())
                 + f" | **{peak / memory:.2f}** of {memory / 1024:.0f} GB | within the machine: "
                 f"{'met' if peak < memory else 'NOT met'} |")
    return f"`{command}`\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each timed command; the best counts")
    parser.add_argument("--work-dir", type=Path, help="keep everything here (default: a temporary folder)")
    args = parser.parse_args(argv)
    for name in ("MESH_DUCKDB_PATH", "MESH_TARGET", "MESH_AS_OF_DATE", "MESH_RAW_DATA_PATH", "MESH_TEST_WINDOW_DAYS"):
        os.environ.pop(name, None)
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    scales = sorted(args.scales)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="mesh-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    try:
        project = copy_reference(work)
        runs = [run_scale(scale, work, project, args.repeat, incremental=scale == scales[-1],
                          nightly=scale == scales[0]) for scale in scales]
        print("Scale 1: the cost of any run ...", flush=True)
        fixed = fixed_cost(work, project, args.repeat)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    command = "python bench/scale.py" + (f" --scales {' '.join(map(str, scales))}" if scales != [10, 100] else "") \
        + (f" --repeat {args.repeat}" if args.repeat != 2 else "")
    print(table(runs, command, fixed))
    print(f"\n({time.perf_counter() - clock:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
