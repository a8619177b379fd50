"""`mesh demo-data`: raw data for every domain at a chosen scale, as Parquet the sources can read in place."""

from __future__ import annotations

from pathlib import Path

from .arguments import whole_number

DEFAULT_FOLDER = Path("warehouse") / "raw"


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "demo-data", parents=[common], help="generate the raw data at any scale as Parquet (one folder per day)",
        description="Simulate the reference business (the seeds' story) at SCALE times the seeds' size and write "
                    "every raw table as Parquet under OUT/<schema>/<table>/, the daily facts one folder per day. "
                    "Build on it with MESH_RAW_DATA_PATH=OUT (or dbt's --vars '{raw_data_path: OUT}'); the "
                    "seeds stay the default. Same scale and seed, same rows.",
    )
    parser.add_argument("--scale", type=whole_number, default=1, metavar="N",
                        help="N x the seeds' size: 400 x N merchants; 100 gives ~10 million takings rows (default 1)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help=f"folder to write (replaced whole if it holds earlier demo data; default "
                             f"{DEFAULT_FOLDER} in the project, which git ignores)")
    parser.add_argument("--seed", type=int, default=20250101, help="random seed (default 20250101)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar, only the summary")
    parser.set_defaults(run=run)



def run(args) -> int:
    import contextlib
    import time

    from ..console import console, print_table, say
    from ..demo_data.raw_folder import write_raw_data
    from ..project import Project

    out = (args.out if args.out is not None else Project.locate(args.project_dir).root / DEFAULT_FOLDER).resolve()
    clock = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if args.quiet:
            report = lambda step, done: None  # noqa: E731
        else:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            bar = stack.enter_context(Progress(TextColumn("{task.description:<52}"), BarColumn(),
                                               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                                               console=console()))
            task = bar.add_task(f"Scale {args.scale}", total=1.0)

            def report(step: str, done: float) -> None:
                bar.update(task, description=step, advance=done)
        written = write_raw_data(out, args.scale, args.seed, progress=report)
        if not args.quiet:
            bar.update(task, description=f"Scale {args.scale} written", completed=1.0)
    print_table(f"Raw data at scale {args.scale} in {out}", ["Table", "Split by", "Rows", "Files"],
                [[f"{w.table.schema}/{w.table.identifier}", w.table.partition_by or "", f"{w.rows:,}", w.files]
                 for w in written], numeric_from=2)
    say(f"Wrote {sum(w.rows for w in written):,} rows in {time.perf_counter() - clock:.1f} s. Build on it: "
        f"MESH_RAW_DATA_PATH={out} mesh build (or dbt build --vars '{{raw_data_path: {out}}}').")
    return 0
