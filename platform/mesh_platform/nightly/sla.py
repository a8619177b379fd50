"""Product SLAs, watched: after the build, each data product's freshness (its newest day against the SLA's
`max_staleness_hours`) and volume (rows, and new rows against a band learned from earlier nights) are measured
and kept in `mesh_sla.history` in the warehouse with the night's verdict (the catalog draws them). A breach is an
item at the severity the SLA sets (`meta.sla.severity`: error, the default, or warn)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from pathlib import Path

from ..manifest import Mesh
from ..manifest.nodes import meta
from ..writers.sql import qualified
from .results import FAILED, PASSED, WARNED, Item

HISTORY_TABLE = "mesh_sla.history"
# the night's verdict, columns added after the first nights (null in the rows kept before them): the newest day's
# age at the business's clock, the status (passed, failed, warned) and why it breached
HISTORY_VERDICT = {"age_hours": "double", "status": "varchar", "breach": "varchar"}
MIN_HISTORY = 5  # nights of history before the volume is judged
SPREAD = 5.0  # how many robust deviations (MAD x 1.4826) from the median a night may be
MIN_BAND = 0.2  # ... and at least this share of the median, so that steady products do not alarm on noise


@dataclass(frozen=True)
class Measure:
    product: str
    rows: int
    new_rows: int | None  # against the last night measured; None on the first
    newest_day: dt.date | None


def volume_verdict(history: list[int], tonight: int) -> str | None:
    """Why tonight's new rows are outside the band of the earlier nights', or None when they are inside (or
    when there are fewer than MIN_HISTORY nights to judge by)."""
    if len(history) < MIN_HISTORY:
        return None
    median = statistics.median(history)
    deviation = statistics.median(abs(value - median) for value in history) * 1.4826
    width = max(SPREAD * deviation, MIN_BAND * abs(median), 1.0)
    low, high = median - width, median + width
    if low <= tonight <= high:
        return None
    return (f"{tonight} new rows tonight, outside the usual {max(low, 0):.0f} to {high:.0f} "
            f"(median {median:.0f} over {len(history)} nights)")


def age_hours(newest: dt.date | None, clock: dt.datetime) -> float | None:
    """How old the newest day (its end) is at `clock`, in hours; None without one."""
    return None if newest is None else (clock - dt.datetime.combine(newest, dt.time.max)).total_seconds() / 3600


def staleness_verdict(newest: dt.date | None, clock: dt.datetime, max_hours: float | None) -> str | None:
    """Why the product's newest day is older than its SLA allows at `clock`, or None."""
    age = age_hours(newest, clock)
    if age is None or not max_hours:
        return None
    return f"newest day {newest} is {age:.0f} h old at {clock:%Y-%m-%d %H:%M}; the SLA allows {max_hours:g} h" \
        if age > max_hours else None


def business_clock(target_dir: Path) -> dt.datetime:
    """The business's now: what the night's source freshness measured against (the earlier of now and the end
    of the as-of day, macros/source_freshness.sql), from dbt's sources.json; now when there is none."""
    import json

    try:
        results = json.loads((target_dir / "sources.json").read_text())["results"]
        return dt.datetime.fromisoformat(results[0]["snapshotted_at"].replace("Z", "+00:00")).replace(tzinfo=None)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def measure_slas(mesh: Mesh, warehouse: Path, run_id: str, clock: dt.datetime,
                 built: set[str]) -> list[tuple[str, Item]]:
    """Measure every product built tonight, judge it against its SLA and history, and append to the history."""
    import duckdb

    items = []
    with duckdb.connect(str(warehouse)) as connection:
        create_history(connection)
        for name, node in mesh.latest_products().items():
            if node.unique_id not in built or not node.relation_name:
                continue
            measure = _measure(connection, name, node)
            history = [row[0] for row in connection.execute(
                f"select new_rows from {HISTORY_TABLE} where product = ? and new_rows is not null "
                f"order by measured_at desc limit 30", [name]).fetchall()]
            sla = meta(node).get("sla") or {}
            verdicts = [verdict for verdict in (
                staleness_verdict(measure.newest_day, clock, sla.get("max_staleness_hours")),
                volume_verdict(history, measure.new_rows) if measure.new_rows is not None else None) if verdict]
            status = (FAILED if sla.get("severity", "error") == "error" else WARNED) if verdicts else PASSED
            message = "; ".join(verdicts) or (f"{measure.rows} rows" + (
                f", {measure.new_rows} new" if measure.new_rows is not None else "") + (
                f", newest day {measure.newest_day}" if measure.newest_day else ""))
            items.append((mesh.domain_of(node.unique_id) or "", Item(
                "sla", node.unique_id, mesh.label(node.unique_id), status, message, node.original_file_path)))
            record_measure(connection, run_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), measure,
                           age_hours(measure.newest_day, clock), status, "; ".join(verdicts) or None)
    return items


def create_history(connection) -> None:
    """mesh_sla.history, created (or given the verdict columns a history kept before them lacks)."""
    connection.execute("create schema if not exists mesh_sla")
    connection.execute(f"create table if not exists {HISTORY_TABLE} (run_id varchar, measured_at timestamp, "
                       f"product varchar, row_count bigint, new_rows bigint, newest_day date)")
    for column, kind in HISTORY_VERDICT.items():
        connection.execute(f"alter table {HISTORY_TABLE} add column if not exists {column} {kind}")


def record_measure(connection, run_id: str, measured_at: dt.datetime, measure: Measure, age: float | None,
                   status: str, breach: str | None) -> None:
    """One night's measure of one product, with its verdict: the newest day's age at the business's clock, the
    status (passed, failed or warned) and why it breached."""
    connection.execute(f"insert into {HISTORY_TABLE} (run_id, measured_at, product, row_count, new_rows, newest_day, "
                       f"{', '.join(HISTORY_VERDICT)}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [run_id, measured_at, measure.product, measure.rows, measure.new_rows, measure.newest_day,
                        age, status, breach])


def _measure(connection, name: str, node) -> Measure:
    relation = node.relation_name
    day_column = meta(node).get("day_column")
    newest = f"max({qualified(day_column)})" if day_column else "null"
    rows, newest_day = connection.execute(f"select count(*), {newest} from {relation}").fetchone()
    last = connection.execute(f"select row_count from {HISTORY_TABLE} where product = ? "
                              f"order by measured_at desc limit 1", [name]).fetchone()
    return Measure(name, rows, rows - last[0] if last else None, newest_day)
