"""`mesh publish`: a DuckDB file of every public data product (each version), copied out of the warehouse.

Nothing else goes in: no raw schema, no staging or intermediate model, no history. It is refused, in one line,
while any product publishes personal data unmasked (the column lineage PII001 reads), and written beside its
destination then moved into place, so a reader never sees half of it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import MeshError, one_line
from ..manifest import Mesh
from ..manifest.nodes import relation
from ..writers.sql import identifier, qualified, string_literal


@dataclass(frozen=True)
class Published:
    path: Path
    relations: list[tuple[str, int]]  # (schema.table, rows)


def product_relations(mesh: Mesh) -> list[str]:
    """`schema.identifier` of every version of every data product (public model) that has a relation."""
    return sorted({found for node in mesh.products() if (found := relation(node))})


def refuse_personal_data(leaks: dict[str, dict]) -> None:
    """`leaks`: {product label: {column: ...}} of products publishing personal data unmasked."""
    if leaks:
        shown = "; ".join(f"{label}: {', '.join(sorted(columns))}" for label, columns in sorted(leaks.items()))
        raise MeshError(f"not published: products publish personal data unmasked ({shown}); mask it first "
                        f"(`mesh check` says how)")


def publish_products(warehouse: Path, relations: list[str], output: Path) -> Published:
    """Copy `relations` from the DuckDB file `warehouse` (read-only) into a new DuckDB file at `output`."""
    import duckdb

    if not warehouse.is_file():
        raise MeshError(f"no warehouse at {warehouse}; build the mesh first (`mesh build`)")
    if output.resolve() == warehouse.resolve():
        raise MeshError(f"--output {output} is the warehouse itself; give another file")
    folder = output.parent
    if not folder.is_dir():
        raise MeshError(f"folder {folder} does not exist; create it or give another --output")
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=folder)
    os.close(handle)
    os.unlink(temporary)  # DuckDB makes the file itself
    copied = []
    try:
        with duckdb.connect(temporary) as connection:
            connection.execute(f"attach {string_literal(str(warehouse))} as warehouse (read_only)")
            for name in relations:
                schema, table = name.split(".", 1)
                connection.execute(f"create schema if not exists {identifier(schema)}")
                connection.execute(f"create table {qualified(schema, table)} as "
                                   f"select * from warehouse.{qualified(schema, table)}")
                (rows,) = connection.execute(f"select count(*) from {qualified(schema, table)}").fetchone() or (0,)
                copied.append((name, rows))
            connection.execute("detach warehouse")
        os.replace(temporary, output)
    except duckdb.Error as error:
        raise MeshError(f"could not publish the products: {one_line(error, 300)}") from None
    finally:
        for leftover in (temporary, f"{temporary}.wal"):
            Path(leftover).unlink(missing_ok=True)
    return Published(output, copied)

