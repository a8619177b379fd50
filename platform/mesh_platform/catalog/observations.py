"""What the warehouse holds (DuckDB, opened read-only): each product's quality history, SLA history (sla_history),
row count and a sample of its rows. What the builds did is in `builds`.

A sample selects only the columns the product's contract declares, and never one tagged PII without being
masked: the public relation already publishes personal data through mask_pii, and a column the contract does
not describe is not shown at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import one_line
from ..nightly.sla import HISTORY_TABLE as SLA_TABLE
from ..quality.runner import HISTORY_TABLE
from .facts import ProductFacts
from .sla_history import SlaHistory, read_sla_history

SAMPLE_ROWS = 10
QUALITY_RUNS = 12  # shown per product, newest first
VALUE_CHARS = 40


@dataclass(frozen=True)
class QualityRun:
    run_id: str
    run_at: dt.datetime
    expectations: int
    passed: int

    @property
    def success(self) -> bool:
        return self.passed == self.expectations


@dataclass(frozen=True)
class QualityFailure:
    expectation: str
    column: str | None
    observed: str
    failing_rows: int | None


@dataclass
class QualityFacts:
    runs: list[QualityRun] = field(default_factory=list)  # newest first
    failures: list[QualityFailure] = field(default_factory=list)  # of the newest run
    unvalidated: str | None = None  # why the last night did not validate it (and no run since has)

    @property
    def status(self) -> str:
        if self.unvalidated:
            return "skipped"
        if not self.runs:
            return "not validated"
        return "passed" if self.runs[0].success else "failed"

    @property
    def detail(self) -> str:
        """The newest run's result (and why the last night did not validate it)."""
        last = "no run of mesh quality recorded"
        if self.runs:
            run = self.runs[0]
            last = f"{run.passed} of {run.expectations} expectations passed on {run.run_at:%Y-%m-%d %H:%M} UTC"
        return f"{self.unvalidated}; {last}" if self.unvalidated else last


@dataclass(frozen=True)
class Sample:
    columns: list[str]
    rows: list[list[str | None]]
    row_count: int
    hidden: list[str]  # contract columns left out: personal data not masked

    def column_groups(self, key: Iterable[str], size: int) -> list[list[int]]:
        """The columns' indices cut into tables of at most `size` columns (one at least), each led by the key's."""
        keys = [index for index, column in enumerate(self.columns) if column in set(key)]
        rest = [index for index in range(len(self.columns)) if index not in keys]
        room = max(size - len(keys), 1)
        return [keys + rest[start:start + room] for start in range(0, len(rest), room)] or [keys]


@dataclass
class Observations:
    quality: dict[str, QualityFacts] = field(default_factory=dict)  # product name -> its validations
    samples: dict[str, Sample] = field(default_factory=dict)  # product name -> a sample of its latest version
    sla: dict[str, SlaHistory] = field(default_factory=dict)  # product name -> its SLA over the last nights
    notes: list[str] = field(default_factory=list)  # why some facts are missing


def read_warehouse(database: Path, products: Iterable[ProductFacts], observations: Observations,
                   shown: str | None = None) -> None:
    """Add each product's quality and SLA history, row count and sample from the DuckDB file, opened read-only."""
    import duckdb

    shown = shown or str(database)
    if not database.is_file():
        observations.notes.append(f"the warehouse {shown} is not built yet (`mesh build`): no sample rows, "
                                  f"row counts or quality history")
        return
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        observations.notes.append(f"cannot open the warehouse {shown} ({one_line(error, 200)}): no sample rows, "
                                  f"row counts or quality history")
        return
    with connection:
        relations = {(schema.lower(), name.lower()) for schema, name in connection.sql(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        if tuple(HISTORY_TABLE.split(".")) in relations:
            observations.quality = read_quality(connection)
        if tuple(SLA_TABLE.split(".")) in relations:
            observations.sla = read_sla_history(connection)
        for product in products:
            relation = product.latest.relation
            if relation and tuple(relation.lower().split(".", 1)) in relations:
                observations.samples[product.name] = read_sample(connection, relation, product)


def read_quality(connection) -> dict[str, QualityFacts]:
    """Each product's last runs in mesh_quality.history (newest first) and its newest run's failures."""
    quality: dict[str, QualityFacts] = {}
    runs = connection.sql(f"""
        with runs as (
            select product, run_id, max(run_at) as run_at, count(*) as expectations,
                   count(*) filter (where success) as passed
            from {HISTORY_TABLE} group by product, run_id
        )
        select * from runs
        qualify row_number() over (partition by product order by run_at desc, run_id desc) <= {QUALITY_RUNS}
        order by product, run_at desc, run_id desc""").fetchall()
    for product, run_id, run_at, expectations, passed in runs:
        quality.setdefault(product, QualityFacts()).runs.append(QualityRun(run_id, run_at, expectations, passed))
    failures = connection.sql(f"""
        with latest as (
            select product, arg_max(run_id, run_at) as run_id from {HISTORY_TABLE} group by product
        )
        select product, expectation, column_name, observed_value, failing_rows
        from {HISTORY_TABLE} join latest using (product, run_id)
        where not success
        order by product, expectation, column_name""").fetchall()
    for product, expectation, column, observed, failing in failures:
        quality.setdefault(product, QualityFacts()).failures.append(
            QualityFailure(expectation, column, observed or "", failing))
    return quality


def read_sample(connection, relation: str, product: ProductFacts) -> Sample:
    columns = [column.name for column in product.columns if not column.hidden]
    hidden = [column.name for column in product.columns if column.hidden]
    table = ".".join(_quote(part) for part in relation.split(".", 1))
    count = connection.sql(f"select count(*) from {table}").fetchone()[0]
    rows = []
    if columns:
        rows = connection.sql(f"select {', '.join(map(_quote, columns))} from {table} limit {SAMPLE_ROWS}").fetchall()
    return Sample(columns, [[show_value(value) for value in row] for row in rows], count, hidden)


def show_value(value) -> str | None:
    """A cell as text (None stays None, shown as null); long values are cut, with an ellipsis."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, (dt.date, dt.datetime, dt.time)):
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
