"""`--shared publish`: an upstream model that models staying behind use too stays where it is and becomes a data
product, with everything `mesh check` asks of one: public, its contract enforced with every column typed as
the warehouse built it and described, the key its owners already test (unique and not_null) made the primary
key, version 1 and the platform's default SLA. Each moved node's read of it is then a read across domains: an
access agreement is filed for it (approved: the read was there before the move, and the producer's owners
review the file in the pull request), and when the producer is legacy the read is recorded in the baseline as
the new owner's debt (LEG001), to go when the product is handed over in turn."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import MeshError
from ..manifest import Domain, Mesh
from ..manifest.nodes import is_pii, parents, primary_key, relation_key
from ..scaffold.product import DEFAULT_SLA
from . import yaml_text

VERSION = 1


@dataclass(frozen=True)
class Published:
    name: str
    domain: str
    unique_id: str
    path: str  # the YAML file of its entry
    key: str
    columns: tuple[tuple[str, str], ...]  # (column, data type) as the warehouse built it
    relation: str  # its relation once versioned


def to_publish(mesh: Mesh, uids: set[str], warehouse: Mapping[str, Mapping[str, str]] | None) -> list[Published]:
    """The shared models as products; MeshError naming every one that cannot be published as it is, and why."""
    found, problems = [], []
    for uid in sorted(uids):
        node = mesh.nodes[uid]
        try:
            found.append(_product(mesh, uid, node, warehouse))
        except MeshError as error:
            problems.append(f"{node.name} {error}")
    if problems:
        raise MeshError("cannot publish the shared upstream models (--shared publish): " + "; ".join(problems)
                        + "; or hand them over too (--shared move)")
    return found


def _product(mesh: Mesh, uid: str, node: Any, warehouse) -> Published:
    if node.get("version") is not None:
        raise MeshError("is versioned already: publish it by hand")
    patch = (node.get("patch_path") or "").split("://", 1)[-1]
    if not patch:
        raise MeshError("has no YAML entry: describe it and its columns first")
    if not (node.get("description") or "").strip():
        raise MeshError("has no description: describe it first")
    built = (warehouse or {}).get(relation_key(node.relation_name) or "")
    if not built:
        raise MeshError(f"is not built, so its column types are unknown: build it first (mesh build --select "
                        f"{node.name})")
    declared = {name.lower(): column for name, column in node.columns.items()}
    unknown = sorted(set(declared) - set(built))
    if unknown:
        raise MeshError(f"documents columns it does not build ({', '.join(unknown)}): remove them first")
    undescribed = [name for name in built if name not in declared or not (declared[name].description or "").strip()]
    if undescribed:
        raise MeshError(f"has columns without description ({', '.join(undescribed)}): describe them first")
    personal = sorted(name for name, column in declared.items() if is_pii(column))
    if personal:
        raise MeshError(f"holds personal data ({', '.join(personal)}), which a product publishes only masked")
    key = _tested_key(mesh, uid, node)
    schema, _, table = (relation_key(node.relation_name) or "").rpartition(".")
    return Published(node.name, mesh.domain_of(uid) or "", uid, patch, key, tuple(built.items()),
                     f"{schema}.{table}_v{VERSION}")


def _tested_key(mesh: Mesh, uid: str, node: Any) -> str:
    declared = primary_key(node)
    if len(declared) > 1:
        raise MeshError("has a key of several columns: publish it by hand")
    tested: dict[str, set[str]] = {}
    for test in mesh.tests_of(uid):
        metadata = test.test_metadata
        if metadata is not None and test.column_name and test.attached_node == uid:
            tested.setdefault(test.column_name.lower(), set()).add(str(metadata.name))
    keys = [column for column, names in tested.items() if {"unique", "not_null"} <= names]
    if declared:
        keys = [column for column in keys if column == declared[0].lower()]
    if len(keys) != 1:
        raise MeshError("has no one column tested unique and not_null to be its primary key: test its key first"
                        if not keys else f"has several columns tested unique and not_null ({', '.join(keys)}): "
                                         f"declare its primary_key constraint first")
    return keys[0]


def product_entry(text: str, product: Published, label: str) -> str:
    """`text` (the YAML file) with the model's entry made a product's; the rest of the file keeps its bytes."""
    span = yaml_text.find_entry(text, "models", product.name, label)
    assert span is not None  # its patch_path names this file
    lines = text.splitlines(keepends=True)
    entry = yaml_text.reindent(lines[span.start:span.end], span.dash, 0)
    yaml = _round_trip()
    data = yaml.load("".join(entry))[0]
    _set(data, "access", "public", after="description")
    _set(data, "latest_version", VERSION, after="access")
    config = data.get("config") if isinstance(data.get("config"), dict) else CommentedMap()
    config["contract"] = {"enforced": True}
    meta = config.get("meta") if isinstance(config.get("meta"), dict) else CommentedMap()
    meta.setdefault("sla", dict(DEFAULT_SLA))
    config["meta"] = meta
    _set(data, "config", config, after="latest_version")
    data["columns"] = _columns(data.get("columns") or CommentedSeq(), product)
    data["versions"] = [{"v": VERSION}]
    out = io.StringIO()
    yaml.dump([data], out)
    dumped = out.getvalue().splitlines(keepends=True)
    edited = yaml_text.reindent(dumped, len(dumped[0]) - len(dumped[0].lstrip()), span.dash)
    return yaml_text.replace_entry(text, "models", product.name, edited, label)


def _columns(columns: CommentedSeq, product: Published) -> CommentedSeq:
    by_name = {str(column.get("name")).lower(): column for column in columns}
    for name, data_type in product.columns:
        column = by_name.get(name)
        if column is None:
            column = CommentedMap(name=name)
            columns.append(column)
        _set(column, "data_type", data_type, after="name")
        if name == product.key:
            constraints = column.get("constraints") or CommentedSeq()
            if not any(item.get("type") == "primary_key" for item in constraints):
                constraints.append({"type": "primary_key"})
            column["constraints"] = constraints
    return columns


def _set(mapping: CommentedMap, key: str, value: Any, after: str) -> None:
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    mapping.insert(keys.index(after) + 1 if after in keys else len(keys), key, value)


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def readers(mesh: Mesh, product: Published, moving: set[str]) -> list[str]:
    """The moving nodes (models and their tests) that read the product, by unique id."""
    return sorted(uid for uid in mesh.children(product.unique_id)
                  if uid in moving and product.unique_id in parents(mesh.nodes[uid]))


def agreement(product: Published, producer: Domain, consumer: Domain, reason: str, today: dt.date) -> tuple[str, str]:
    """(path, text) of the approved agreement the moved readers read the product under."""
    from ..access.agreements import Agreement, agreement_path, render

    filed = Agreement(consumer=consumer.name, product=product.name, purpose=reason, status="approved",
                      requested_by=consumer.owner_email, requested_on=today, decided_by=producer.owner_email,
                      decided_on=today)
    return agreement_path(product.domain, consumer.name, product.name), render(filed)
