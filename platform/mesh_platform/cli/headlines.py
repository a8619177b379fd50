"""`mesh headlines`: the portfolio's headline numbers from the analytics domain's products."""

from __future__ import annotations

from .session import open_session


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "headlines", parents=[common], help="headline numbers: total funded, %% repaid, arrears, conversion",
        description="Print the portfolio's headline numbers, read from the built analytics products.",
    )
    parser.add_argument("--target", "-t", help="dbt target from profiles.yml (default: duckdb)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..console import print_table
    from ..headlines import read_headlines

    headlines = read_headlines(open_session(args))
    print_table("Portfolio headlines", ["Measure", "Value"], headlines.lines(), numeric_from=1)
    return 0
