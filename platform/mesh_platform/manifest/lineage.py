"""Column lineage: which upstream columns each output column of a model's compiled SQL is computed from.

sqlglot parses and qualifies the statement (`select *` expanded from the columns known for each relation: the
warehouse's, or upstream models' traced outputs), then each output column is followed through CTEs,
subqueries and unions down to the relations' columns it reads. A column read inside the masking function
(`mesh_pii_mask`, what `mask_pii()` compiles to, or another declared one) is reached only masked: personal
data stops there. What cannot be followed (SQL no parser reads, a `*` over a relation of unknown columns, a
column of unknown origin) is said so, never taken as "reads nothing".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .nodes import relation_key

Column = tuple[str, str]  # (relation key `schema.table`, column), lower-cased
Schema = Mapping[str, Mapping[str, str]]  # relation key -> {column: data type}


@dataclass(frozen=True)
class Origin:
    """Where one output column comes from."""

    reads: frozenset[Column] = frozenset()  # upstream columns whose values flow into it unmasked
    masked: frozenset[Column] = frozenset()  # upstream columns it reads only through a masking function
    unknown: tuple[str, ...] = ()  # what could not be followed (a `*` over an unknown relation, a column ...)

    def __or__(self, other: Origin) -> Origin:
        return Origin(self.reads | other.reads, self.masked | other.masked, (*self.unknown, *other.unknown))

    def as_masked(self) -> Origin:
        return Origin(frozenset(), self.reads | self.masked, self.unknown)


@dataclass(frozen=True)
class Traced:
    """A statement's output columns, by lower-cased name, in order; `problem` when it could not be traced."""

    columns: dict[str, Origin] = field(default_factory=dict)
    problem: str | None = None


def trace(sql: str, dialect: str, schema: Schema, masking: Collection[str]) -> Traced:
    """The lineage of every output column of `sql`. `schema`: the columns of the relations it may read;
    `masking`: the names of the masking functions (lower case)."""
    import sqlglot
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import build_scope

    from ..sql_dialect import sqlglot_dialect

    read = sqlglot_dialect(dialect)
    try:
        statement = sqlglot.parse_one(sql, read=read)
        known = _schema_for(statement, schema)
        qualified = qualify(statement, dialect=read, schema=known, validate_qualify_columns=False, identify=False)
        root = build_scope(qualified)
    except (SqlglotError, RecursionError, ValueError, KeyError) as error:
        return Traced(problem=f"its compiled SQL could not be read ({type(error).__name__})")
    if root is None:
        return Traced(problem="its compiled SQL is not a query")
    tracer = _Tracer({name.lower() for name in masking})
    try:
        return Traced(tracer.outputs(root))
    except RecursionError:
        return Traced(problem="its SQL nests too deeply to follow")


def _schema_for(statement, schema: Schema) -> dict:
    """sqlglot's nested schema ({catalog: {db: {table: {column: type}}}}) for the relations the statement
    names that `schema` knows, each under the catalog and schema the statement spells."""
    from sqlglot import exp

    nested: dict = {}
    for table in statement.find_all(exp.Table):
        columns = schema.get(_key(table))
        if table.db and columns:
            nested.setdefault(table.catalog or "", {}).setdefault(table.db, {})[table.name] = dict(columns)
    if "" in nested and len(nested) > 1:  # one depth for all: tables named without a catalog take the first's
        default = next(name for name in nested if name)
        for db, tables in nested.pop("").items():
            nested[default].setdefault(db, {}).update(tables)
    return nested


class _Tracer:
    def __init__(self, masking: set[str]):
        self.masking = masking
        self.cache: dict[tuple[int, str], Origin] = {}

    def outputs(self, scope) -> dict[str, Origin]:
        selects = self._selects(scope)
        return {select.alias_or_name.lower(): self.of_select(scope, index) for index, select in enumerate(selects)}

    def _selects(self, scope) -> list:
        branches = _branches(scope)
        if branches:
            return self._selects(branches[0])
        return list(scope.expression.selects)

    def of_select(self, scope, index: int) -> Origin:
        """The origin of the `index`-th output column of a scope (each branch of a union alike)."""
        branches = _branches(scope)
        if branches:
            return _either(self.of_select(branch, index) for branch in branches)
        selects = scope.expression.selects
        if index >= len(selects):
            return Origin(unknown=("a union branch with fewer columns",))
        return self.of_expression(scope, selects[index])

    def of_named(self, scope, name: str) -> Origin:
        """The origin of the output column `name` of a CTE or subquery scope."""
        key = (id(scope), name)
        if key not in self.cache:
            self.cache[key] = Origin(unknown=(f"{name} (a cycle)",))  # a cycle (not valid SQL) ends here
            names = [select.alias_or_name.lower() for select in self._selects(scope)]
            if name in names:
                self.cache[key] = self.of_select(scope, names.index(name))
            elif any(_is_star(select) for select in self._selects(scope)):
                self.cache[key] = self._behind_star(scope, name)
            else:
                self.cache[key] = Origin(unknown=(f"{name} (not an output of its subquery)",))
        return self.cache[key]

    def _behind_star(self, scope, name: str) -> Origin:
        """A column a `*` of unknown columns passes on: from the one relation selected (a join: unknown)."""
        from sqlglot import exp

        branches = _branches(scope)
        if branches:
            return _either(self._behind_star(branch, name) for branch in branches)
        selected = scope.selected_sources
        if len(selected) != 1:
            return Origin(unknown=(f"{name} behind a `*` over {len(selected)} relations of unknown columns",))
        _, source = next(iter(selected.values()))
        if isinstance(source, exp.Table):
            return Origin(reads=frozenset({(_key(source), name)}))
        return self.of_named(source, name)

    def of_expression(self, scope, expression) -> Origin:
        from sqlglot import exp

        if _is_star(expression):
            return Origin(unknown=("a `*` over a relation whose columns are not known",))
        found = Origin()
        for column in expression.find_all(exp.Column):
            if _is_star(column):
                found = found | Origin(unknown=("a `*` over a relation whose columns are not known",))
                continue
            origin = self.of_column(scope, column)
            found = found | (origin.as_masked() if self._masked(column, expression) else origin)
        for subquery in expression.find_all(exp.Subquery):  # a scalar subquery's selected column
            inner = next((s for s in scope.subquery_scopes if s.expression is subquery.this), None)
            if inner is not None and self._selects(inner):
                origin = self.of_select(inner, 0)
                found = found | (origin.as_masked() if self._masked(subquery, expression) else origin)
        return found

    def of_column(self, scope, column) -> Origin:
        """The origin of a column a projection names: a relation's column, or a CTE's/subquery's output."""
        from sqlglot import exp

        name = column.name.lower()
        if column.find_ancestor(exp.Subquery) is not None and column.find_ancestor(exp.Select) is not scope.expression:
            return Origin()  # inside a scalar subquery: followed through that subquery's own scope
        table = column.table
        if not table:
            selected = scope.selected_sources
            if len(selected) != 1:
                return Origin(unknown=(f"{name} (which of {len(selected)} relations it comes from is not known)",))
            table = next(iter(selected))
        source = scope.sources.get(table)
        if source is None:
            return Origin(unknown=(f"{table}.{name} (relation {table} not found)",))
        if isinstance(source, exp.Table):
            return Origin(reads=frozenset({(_key(source), name)}))
        return self.of_named(source, name)

    def _masked(self, node, top) -> bool:
        """Whether `node` sits inside a masking function call within the projection `top`."""
        from sqlglot import exp

        current = node.parent
        while current is not None and current is not top.parent:
            if isinstance(current, exp.Func) and _function_name(current) in self.masking:
                return True
            current = current.parent
        return False


def _branches(scope) -> list:
    """The scopes of a union's (or intersect's, except's) branches; [] for a plain select."""
    from sqlglot import exp

    return list(scope.set_operation_scopes) if isinstance(scope.expression, exp.SetOperation) else []


def _key(table) -> str:
    """A table's relation key (`schema.table`, lower-cased)."""
    return relation_key(".".join(part for part in (table.db, table.name) if part)) or table.name.lower()


def _function_name(function) -> str:
    from sqlglot import exp

    if isinstance(function, exp.Anonymous):
        return str(function.this).lower()
    return function.sql_name().lower()


def _is_star(node) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star))


def _either(origins) -> Origin:
    """The origin of a column of a union: what any of its branches gives."""
    found = Origin()
    for origin in origins:
        found = found | origin
    return found
