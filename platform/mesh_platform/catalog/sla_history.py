"""Each product's SLA over the last nights, as the nightly kept it in `mesh_sla.history` (nightly/sla.py): rows,
new rows, newest day and the night's verdict; a product breaches now when its newest measure did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..nightly.results import FAILED, WARNED
from ..nightly.sla import HISTORY_TABLE, HISTORY_VERDICT

SLA_RUNS = 14  # measures kept per product, newest first
BREACHES = (FAILED, WARNED)
NOT_JUDGED = "not judged"  # a measure kept before the history held verdicts


@dataclass(frozen=True)
class SlaMeasure:
    run_id: str
    measured_at: dt.datetime
    rows: int
    new_rows: int | None
    newest_day: dt.date | None
    age_hours: float | None  # the newest day's age at the business's clock, as the SLA judged it
    status: str  # passed, failed, warned or NOT_JUDGED
    breach: str  # why it breached ("" when it did not)

    @property
    def breached(self) -> bool:
        return self.status in BREACHES


@dataclass
class SlaHistory:
    measures: list[SlaMeasure] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> SlaMeasure | None:
        return self.measures[0] if self.measures else None

    @property
    def breached(self) -> bool:
        """Whether the product breaches its SLA now: its newest measure did."""
        return self.latest is not None and self.latest.breached


def read_sla_history(connection) -> dict[str, SlaHistory]:
    """Each product's last SLA_RUNS measures, newest first (an open DuckDB connection holding the table)."""
    columns = {row[0] for row in connection.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        HISTORY_TABLE.split(".")).fetchall()}
    verdict = ", ".join(name if name in columns else f"null as {name}" for name in HISTORY_VERDICT)
    rows = connection.sql(f"""
        select product, run_id, measured_at, row_count, new_rows, newest_day, {verdict}
        from {HISTORY_TABLE}
        qualify row_number() over (partition by product order by measured_at desc, run_id desc) <= {SLA_RUNS}
        order by product, measured_at desc, run_id desc""").fetchall()
    history: dict[str, SlaHistory] = {}
    for product, run_id, measured_at, count, new_rows, newest_day, age, status, breach in rows:
        history.setdefault(product, SlaHistory()).measures.append(
            SlaMeasure(run_id, measured_at, count, new_rows, newest_day, age, status or NOT_JUDGED, breach or ""))
    return history
