"""Product SLAs, watched: after the build, each data product's freshness (its newest day against the SLA's
`max_staleness_hours`) and volume (rows, and new rows against a band learned from earlier nights) are measured
and kept in `mesh_sla.history` in the warehouse. A breach is an item at the severity the SLA sets
(`meta.sla.severity`: error, the default, or warn)."""

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


def staleness_verdict(newest: dt.date | None, clock: dt.datetime, max_hours: float | None) -> str | None:
    """Why the product's newest day is older than its SLA allows at `clock`, or None."""
    if newest is None or not max_hours:
        return None
    age = (clock - dt.datetime.combine(newest, dt.time.max)).total_seconds() / 3600
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
        connection.execute("create schema if not exists mesh_sla")
        connection.execute(f"create table if not exists {HISTORY_TABLE} (run_id varchar, measured_at timestamp, "
                           f"product varchar, row_count bigint, new_rows bigint, newest_day date)")
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
            breach = FAILED if sla.get("severity", "error") == "error" else WARNED
            message = "; ".join(verdicts) or (f"{measure.rows} rows" + (
                f", {measure.new_rows} new" if measure.new_rows is not None else "") + (
                f", newest day {measure.newest_day}" if measure.newest_day else ""))
            items.append((mesh.domain_of(node.unique_id) or "", Item(
                "sla", node.unique_id, mesh.label(node.unique_id), breach if verdicts else PASSED, message,
                node.original_file_path)))
            connection.execute(f"insert into {HISTORY_TABLE} values (?, ?, ?, ?, ?, ?)",
                               [run_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), name, measure.rows,
                                measure.new_rows,
                                measure.newest_day])
    return items


def _measure(connection, name: str, node) -> Measure:
    relation = node.relation_name
    day_column = meta(node).get("day_column")
    newest = f"max({qualified(day_column)})" if day_column else "null"
    rows, newest_day = connection.execute(f"select count(*), {newest} from {relation}").fetchone()
    last = connection.execute(f"select row_count from {HISTORY_TABLE} where product = ? "
                              f"order by measured_at desc limit 1", [name]).fetchone()
    return Measure(name, rows, rows - last[0] if last else None, newest_day)
