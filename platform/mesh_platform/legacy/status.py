"""The burn-down of the monolith: what is still in the `legacy` domain, who still depends on it, and how it
has shrunk, reconstructed from the ownership log.

Pure functions over a Mesh and the log's rows (unit-tested on fixture manifests), plus one reader of
the warehouse for the models' row counts. A model is counted once per name, whatever its versions, the way
`mesh handover` logs it: its SQL lines are those of its first version's file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import MeshError, one_line
from ..manifest import DECOMMISSIONING, LEGACY, Domain, Mesh, Node, legacy_domain_name
from ..ownership_log import OwnershipChange, sql_lines
from ..writers.sql import qualified


@dataclass(frozen=True)
class LegacyModel:
    name: str
    unique_ids: tuple[str, ...]  # every version, sorted; the first one's SQL is counted
    path: str
    sql_lines: int
    relation: tuple[str, str] | None  # (schema, identifier) of the first version; None when ephemeral
    layer: str | None = None  # its layer folder, as the mesh reads it; None when it sits in none
    rows: int | None = None  # None: unknown (warehouse not built, not DuckDB, relation missing)


@dataclass(frozen=True)
class Dependent:
    """A model of another domain that still reads legacy models."""

    model: str
    domain: str
    owner: str
    team_handle: str
    uses: tuple[str, ...]


@dataclass(frozen=True)
class HistoryPoint:
    """The legacy domain at the end of `date`, and what moved in or out that day."""

    date: dt.date
    models: int
    sql_lines: int
    moved_out: tuple[tuple[str, str], ...] = ()  # (model, to domain)
    moved_in: tuple[tuple[str, str], ...] = ()  # (model, from domain)

    def change(self) -> str:
        """E.g. `+7 from (monolith)`; `-1 to partners: legacy_takings` (names only when they are few)."""
        parts = []
        for sign, word, moves in (("+", "from", self.moved_in), ("-", "to", self.moved_out)):
            by_domain: dict[str, list[str]] = defaultdict(list)
            for model, domain in moves:
                by_domain[domain].append(model)
            for domain, models in by_domain.items():
                names = f": {', '.join(models)}" if len(models) <= 3 else ""
                parts.append(f"{sign}{len(models)} {word} {domain}{names}")
        return "; ".join(parts)


@dataclass(frozen=True)
class History:
    """`start`: the domain before the log's first date (None without a log); `points`: the end of each logged
    date, the last one today's figures. `mismatches`: where the log disagrees with the project."""

    start: HistoryPoint | None
    points: list[HistoryPoint]
    mismatches: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LegacyStatus:
    domain: Domain
    models: list[LegacyModel]
    dependents: list[Dependent]
    history: History
    rows_note: str | None = None  # why some or all row counts are unknown

    @property
    def total_lines(self) -> int:
        return sum(model.sql_lines for model in self.models)

    @property
    def total_rows(self) -> int | None:
        rows = [model.rows for model in self.models]
        return None if None in rows else sum(count or 0 for count in rows)


def legacy_domain(mesh: Mesh) -> Domain:
    name = legacy_domain_name(mesh.domains)
    if name is None:
        known = ", ".join(mesh.domains) or "none"
        raise MeshError(f"this project has no '{LEGACY}' domain (a dbt group named {LEGACY}, or one whose meta.status "
                        f"is {DECOMMISSIONING}), so there is no monolith to burn down; the domains are: {known}")
    return mesh.domains[name]


def legacy_models(mesh: Mesh) -> list[LegacyModel]:
    """The models still in legacy, one per name, sorted by name."""
    legacy = legacy_domain(mesh).name
    by_name: dict[str, list[Node]] = defaultdict(list)
    for node in mesh.models(legacy):
        by_name[node.name].append(node)
    found = []
    for name, versions in sorted(by_name.items()):
        versions.sort(key=lambda node: node.unique_id)
        node = versions[0]
        found.append(LegacyModel(name, tuple(version.unique_id for version in versions), node.original_file_path,
                                 sql_lines(node.raw_code or ""), _relation(node), mesh.layer(node.unique_id)))
    return found


def _relation(node: Node) -> tuple[str, str] | None:
    if node.config.materialized == "ephemeral" or not node.schema:
        return None
    return node.schema, node.alias or node.identifier or node.name


def legacy_dependents(mesh: Mesh) -> list[Dependent]:
    """What other domains (or none) run that depends on legacy models, one per node name: models, tests,
    analyses and snapshots, as `mesh check` (LEG001) counts them."""
    legacy = legacy_domain(mesh).name
    uses: dict[tuple[str, str], set[str]] = defaultdict(set)
    for uid, used in mesh.dependents_on(legacy).items():
        uses[(mesh.domain_of(uid) or "", mesh.nodes[uid].name)] |= {mesh.nodes[parent].name for parent in used}
    dependents = []
    for (domain, name), used_names in sorted(uses.items()):
        owner = mesh.domains.get(domain)
        dependents.append(Dependent(name, domain, owner.owner_name if owner else "",
                                    owner.team_handle if owner else "", tuple(sorted(used_names))))
    return dependents


def reconstruct_history(today_lines: dict[str, int], changes: Sequence[OwnershipChange],
                        today: dt.date, legacy: str = LEGACY) -> History:
    """The legacy domain per logged date, worked backwards from today's models ({name: SQL lines}).

    Undoing a day's rows, last first: a model that moved out of legacy was in it before (with the SQL lines
    the row recorded); a model that moved in (as its new name) was not. A row the project contradicts is
    reported in `mismatches` and the figures are kept as the log says.
    """
    by_date: dict[dt.date, list[OwnershipChange]] = defaultdict(list)
    for change in changes:
        if legacy in (change.from_domain, change.to_domain):
            by_date[dt.date.fromisoformat(change.date)].append(change)
    state = dict(today_lines)
    mismatches: list[str] = []
    end = max([today, *by_date])
    points = []
    for day in sorted({*by_date, end}, reverse=True):
        rows = by_date.get(day, [])
        points.append(HistoryPoint(
            day, len(state), sum(state.values()),
            tuple((row.model, row.to_domain) for row in rows if row.from_domain == legacy != row.to_domain),
            tuple((row.new_name, row.from_domain) for row in rows if row.to_domain == legacy != row.from_domain)))
        for row in reversed(rows):
            _undo(state, row, mismatches, legacy)
    points.reverse()
    start = None
    if by_date:
        start = HistoryPoint(min(by_date), len(state), sum(state.values()))
    return History(start, points, list(reversed(mismatches)))


def _undo(state: dict[str, int], row: OwnershipChange, mismatches: list[str], legacy: str) -> None:
    """Turn `state` (legacy after the row) into legacy before it."""
    if row.from_domain == legacy and row.to_domain == legacy:  # renamed inside legacy
        state[row.model] = state.pop(row.new_name, row.sql_lines)
    elif row.from_domain == legacy:
        if row.model in state:
            mismatches.append(f"{row.date}: {row.model} moved out of {legacy} to {row.to_domain}, yet a {legacy} "
                              f"model of that name comes after it with no log row moving it back")
        state[row.model] = row.sql_lines
    else:
        if row.new_name not in state:
            mismatches.append(f"{row.date}: {row.new_name} moved into {legacy} from {row.from_domain}, yet it is "
                              f"not in {legacy} after that and no log row moves it out")
        state.pop(row.new_name, None)


def legacy_status(mesh: Mesh, changes: Sequence[OwnershipChange], today: dt.date) -> LegacyStatus:
    """Everything `mesh legacy status` reports but the row counts (see with_rows)."""
    domain = legacy_domain(mesh)
    models = legacy_models(mesh)
    history = reconstruct_history({model.name: model.sql_lines for model in models}, changes, today, domain.name)
    return LegacyStatus(domain, models, legacy_dependents(mesh), history)


def with_rows(status: LegacyStatus, counts: dict[str, int | None], note: str | None) -> LegacyStatus:
    models = [replace(model, rows=counts.get(model.name)) for model in status.models]
    return replace(status, models=models, rows_note=note)


def count_rows(database: Path, models: Iterable[LegacyModel]) -> tuple[dict[str, int | None], str | None]:
    """count(*) of each model's relation in the DuckDB file, opened read-only; unknown (None) when it cannot
    be read, with a note saying why."""
    import duckdb

    models = list(models)
    if not database.is_file():
        return {}, f"rows unknown: the warehouse {database} is not built yet (`mesh build`)"
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        return {}, f"rows unknown: cannot open the warehouse {database} ({one_line(error, 200)})"
    counts: dict[str, int | None] = {}
    missing = []
    with connection:
        for model in models:
            if model.relation is None:
                counts[model.name] = None
                missing.append(f"{model.name} (ephemeral)")
                continue
            schema, identifier = model.relation
            try:
                counts[model.name] = _scalar(connection, f"select count(*) from {qualified(schema, identifier)}")
            except duckdb.Error:
                counts[model.name] = None
                missing.append(model.name)
    note = f"rows unknown for {', '.join(missing)}: not built in {database}" if missing else None
    return counts, note


def _scalar(connection, sql: str):
    row = connection.sql(sql).fetchone()
    return row[0] if row else None


def as_json(status: LegacyStatus, chart: str | None) -> dict:
    def point(p: HistoryPoint) -> dict:
        return {"date": p.date.isoformat(), "models": p.models, "sql_lines": p.sql_lines,
                "moved_out": [{"model": m, "to": d} for m, d in p.moved_out],
                "moved_in": [{"model": m, "from": d} for m, d in p.moved_in]}

    start = status.history.start
    return {
        "domain": {"name": status.domain.name, "owner": status.domain.owner_name,
                   "team_handle": status.domain.team_handle, "status": status.domain.status},
        "models": [{"name": m.name, "unique_ids": list(m.unique_ids), "path": m.path, "layer": m.layer,
                    "sql_lines": m.sql_lines, "rows": m.rows} for m in status.models],
        "totals": {"models": len(status.models), "sql_lines": status.total_lines, "rows": status.total_rows},
        "rows_note": status.rows_note,
        "dependents": [{"model": d.model, "domain": d.domain, "owner": d.owner, "team_handle": d.team_handle,
                        "uses": list(d.uses)} for d in status.dependents],
        "history": {
            "start": None if start is None else {"before": start.date.isoformat(), "models": start.models,
                                                 "sql_lines": start.sql_lines},
            "points": [point(p) for p in status.history.points],
            "mismatches": status.history.mismatches,
        },
        "chart": chart,
    }
