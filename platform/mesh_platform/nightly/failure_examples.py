"""Failed data tests show examples. On DuckDB dbt stores each test's failing rows in a table of its domain's audit
schema (`store_failures`, macros/generate_schema_name.sql); a failed (or warned) test's item then gets up to
EXAMPLES of those rows and the query that shows them all.

What the nightly publishes (reports, notes, webhooks) is readable by anyone, while personal data stays in its
domain: a stored column whose values come from a column the PII lineage flags (manifest/pii.py: personal data
wherever it flows until masked), or whose origin the lineage cannot follow, is never shown; the item says its
values are withheld.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from ..dbt_session import DbtSession
from ..errors import one_line
from ..manifest import Mesh
from ..manifest.lineage import Schema, trace
from ..manifest.nodes import primary_key, relation_key
from ..manifest.pii import PiiFlow, follow_pii, mesh_lineage_nodes
from ..masking import MASKING_FUNCTION
from ..writers.sql import identifier
from .results import FAILED, WARNED
from .steps import DomainItems

EXAMPLES = 5  # failing rows shown per test
COLUMNS = 4  # columns shown per row: the tested model's key and the tested column first
VALUE_CHARS = 40
FOUND_ROWS = re.compile(r"Got \d+ results?, configured to ")  # dbt's message for a test that found rows


@dataclass(frozen=True)
class Shown:
    """Which stored columns a failure's examples may show, and which are withheld (personal data)."""

    columns: tuple[str, ...]
    withheld: tuple[str, ...]


def with_examples(session: DbtSession, found: DomainItems) -> DomainItems:
    """`found` with each test that found failing rows tonight (failed or warned; not one that could not run,
    whose table may hold an earlier night's rows) given its stored rows as `details`."""
    failing = {item.key for _, item in found if item.kind == "test" and item.status in (FAILED, WARNED)
               and FOUND_ROWS.match(item.message) and not item.details}
    if not failing:
        return found
    try:
        examples = stored_examples(session, failing)
    except Exception as error:  # noqa: BLE001 - the failures are reported all the same, without examples
        examples = {key: (f"no examples of the failing rows: {one_line(f'{type(error).__name__}: {error}')}",)
                    for key in failing}
    return [(domain, replace(item, details=examples[item.key]) if examples.get(item.key) else item)
            for domain, item in found]


def stored_examples(session: DbtSession, tests: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The example lines of each test in `tests` whose failures are stored in the DuckDB warehouse."""
    import duckdb

    from ..warehouse import duckdb_path, target_credentials, warehouse_columns

    if target_credentials(session.project, session.target)[1].type != "duckdb":
        return {}
    schema = warehouse_columns(session.project, session.target) or {}
    stored = {uid for uid in tests if relation_key(_relation(session.mesh(), uid)) in schema}
    if not stored:
        return {}
    compiled = Mesh(session.compiled_manifest())
    personal = personal_columns(follow_pii(mesh_lineage_nodes(compiled), compiled.dialect, schema,
                                           {MASKING_FUNCTION}), compiled, schema)
    found = {}
    with duckdb.connect(str(duckdb_path(session.project, session.target)), read_only=True) as connection:
        for uid in sorted(stored):
            test = compiled.nodes[uid]
            table = schema[relation_key(test.relation_name) or ""]
            shown = shown_columns(test.compiled_code or "", compiled.dialect, schema, personal, list(table),
                                  _preferred(compiled, test))
            found[uid] = example_lines(connection, test.relation_name or "", shown)
    return found


def personal_columns(flow: PiiFlow, mesh: Mesh, schema: Schema) -> set[tuple[str, str]]:
    """(relation, column) of every column that carries personal data; every column of a relation that reads
    personal data where the lineage could not follow it."""
    relations = {uid: relation_key(node.relation_name) for uid, node in (*mesh.nodes.items(), *mesh.sources.items())}
    personal = {(relation, column) for uid, leaks in flow.pii.items() if (relation := relations.get(uid))
                for column in leaks}
    return personal | {(relation, column) for uid in flow.unresolved if (relation := relations.get(uid))
                       for column in schema.get(relation, {})}


def shown_columns(sql: str, dialect: str, schema: Schema, personal: set[tuple[str, str]],
                  stored: list[str], preferred: list[str]) -> Shown:
    """Which of the `stored` columns (the failures table's, from the test's compiled `sql`) carry no personal
    data by their lineage: at most COLUMNS of them, the `preferred` first. A column the lineage cannot follow
    is withheld, and every column when the SQL cannot be traced."""
    traced = trace(sql, dialect, schema, {MASKING_FUNCTION})
    safe: list[str] = []
    withheld: list[str] = []
    for column in stored:
        origin = None if traced.problem else traced.columns.get(column.lower())
        clean = origin is not None and not origin.unknown and not origin.reads & personal
        (safe if clean else withheld).append(column)
    ranked = sorted(safe, key=lambda column: (column.lower() not in preferred, stored.index(column)))
    return Shown(tuple(ranked[:COLUMNS]), tuple(withheld))


def example_lines(connection, relation: str, shown: Shown) -> tuple[str, ...]:
    """The lines under a failed test: up to EXAMPLES failing rows (their shown columns), what was withheld, and
    the query for them all."""
    count = connection.sql(f"select count(*) from {relation}").fetchone()[0]
    lines = []
    if shown.columns and count:
        rows = connection.sql(f"select {', '.join(identifier(c) for c in shown.columns)} from {relation} "
                              f"limit {EXAMPLES}").fetchall()
        examples = "; ".join(", ".join(f"{column}={_value(value)}" for column, value in zip(shown.columns, row,
                                                                                            strict=True))
                             for row in rows)
        lines.append(f"failing rows ({len(rows)} of {count:,}): {examples}")
    else:
        lines.append(f"{count:,} failing row(s) stored")
    if shown.withheld:
        lines.append(f"values withheld (personal data, which stays in its domain): {', '.join(shown.withheld)}")
    lines.append(f"all of them, for the domain's eyes: `select * from {relation}`")
    return tuple(lines)


def _relation(mesh: Mesh, uid: str) -> str | None:
    node = mesh.nodes.get(uid)
    return node.relation_name if node is not None else None


def _preferred(mesh: Mesh, test) -> list[str]:
    """The columns that say which rows failed: the tested model's primary key, and the tested column."""
    tested = mesh.nodes.get(test.attached_node or "")
    keys = primary_key(tested) if tested is not None else []
    return [column.lower() for column in (*keys, test.column_name or "") if column]


def _value(value) -> str:
    text = "null" if value is None else str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"
