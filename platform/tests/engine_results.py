"""Build the mesh on one dbt target and read back its analytics products, to compare engines.

Run as a script (`python engine_results.py ROOT TARGET OUTPUT`) it builds ROOT on TARGET (seeds, models and
tests, as `mesh build` does), then again as a nightly (the incremental models, on what is there), and writes
every analytics product's columns and rows after each to OUTPUT as JSON; with `--read` it only reads them
(a project built already, e.g. a mesh of projects). Tests run it in a child process
(build_in_child): Spark's session lives as long as the process that started it, and reads its settings
(warehouse folder, metastore) only once; a target's settings come from the child's environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from mesh_platform.build import run_build
from mesh_platform.dbt_session import DbtSession
from mesh_platform.manifest.nodes import label as node_label
from mesh_platform.project import Project

DOMAIN = "analytics"
ANALYTICS = {"funnel.v1", "partner_performance.v1", "portfolio_performance.v1", "repayment_curves.v1"}
NIGHTLY = ("config.materialized:incremental+",)
PLACES = Decimal("0.0001")  # every analytics figure is a decimal with at most 4 places, or a count


def normalise(value) -> str | None:
    """One spelling per value on every engine: numbers rounded to 4 places, dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return str(Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_EVEN))
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def read_products(session: DbtSession) -> dict[str, dict]:
    """Each analytics product ('name.vN'): its columns and its rows, values normalised."""
    products = {}
    for product in session.mesh().products(DOMAIN):
        label = node_label(product)
        version = "" if product.version is None else f", v={product.version}"
        sql = f"select * from {{{{ ref('{product.name}'{version}) }}}}"
        result = session.invoke(["show", "--inline", sql, "--limit", "-1"])
        if not result.success:
            raise RuntimeError(f"could not read {label}: {result.exception}")
        table = result.result.results[0].agate_table
        products[label] = {"columns": list(table.column_names),
                                   "rows": [[normalise(value) for value in row.values()] for row in table.rows]}
    return products


def build_and_read(root: Path, target: str) -> dict:
    """Build the project at `root` on `target` from scratch, then as a nightly does (the incremental models
    again, and everything downstream); after each, the failures (if any) and the analytics products."""
    session = DbtSession(Project(root), target=target)
    return {"full": build_once(session), "nightly": build_once(session, NIGHTLY)}


def build_in_child(root: Path, target: str, env: dict[str, str], read_only: bool = False) -> dict:
    """build_and_read of `root` on `target` (with `read_only`, only the products read) in a child process with
    `env` added to its environment; its result, with the seconds taken."""
    output = root.parent / f"{target}.json"
    started = time.monotonic()
    child = subprocess.run([sys.executable, __file__, str(root), target, str(output),
                            *(["--read"] if read_only else [])],
                           env={**os.environ, **env}, capture_output=True, text=True, timeout=1800)
    assert child.returncode == 0, f"building on {target} failed:\n{child.stderr[-4000:]}"
    return {**json.loads(output.read_text()), "seconds": time.monotonic() - started}


def build_once(session: DbtSession, select: tuple[str, ...] = ()) -> dict:
    """`mesh build` of the selection: its failures, how many nodes ran, the analytics products if it passed."""
    report = run_build(session, select=select)
    failures = [f"{outcome.resource_type} {outcome.name}: {outcome.message}" for outcome in report.failures]
    return {"failures": failures, "nodes": len(report.outcomes),
            "products": read_products(session) if report.ok else {}}


def differences(expected: dict[str, dict], actual: dict[str, dict], names=("duckdb", "spark"),
                limit: int = 5) -> list[str]:
    """What differs between two engines' products: a product or columns not alike, rows only on one side."""
    found = []
    for label in sorted(expected.keys() | actual.keys()):
        if label not in actual or label not in expected:
            found.append(f"{label}: only on {names[0] if label in expected else names[1]}")
            continue
        ours, theirs = expected[label], actual[label]
        if ours["columns"] != theirs["columns"]:
            found.append(f"{label}: columns on {names[0]} {ours['columns']}, on {names[1]} {theirs['columns']}")
            continue
        first, second = Counter(map(tuple, ours["rows"])), Counter(map(tuple, theirs["rows"]))
        for name, rows in zip(names, (first - second, second - first), strict=False):
            found += [f"{label}: row only on {name}: {list(row)}" for row in sorted(rows, key=str)[:limit]]
    return found


def main(root: str, target: str, output: str, mode: str = "") -> None:
    if mode == "--read":
        result = {"products": read_products(DbtSession(Project(Path(root)), target=target))}
    else:
        result = build_and_read(Path(root), target)
    Path(output).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
