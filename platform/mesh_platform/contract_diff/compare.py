"""Compare two manifests' data products: each change, breaking or not, and the consumers a break hits."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..manifest import Mesh
from .products import ProductVersion, product_versions

ACCESS_RANK = {"public": 2, "protected": 1, "private": 0}


@dataclass(frozen=True)
class Consumer:
    unique_id: str
    name: str
    kind: str  # model, test, exposure, ...
    domain: str
    owner: str
    mentions: bool | None  # whether its SQL names the changed column (None: not a column change)


@dataclass
class Change:
    product: str
    version: str | None
    domain: str | None
    path: str
    breaking: bool
    what: str
    column: str | None = None
    consumers: list[Consumer] = field(default_factory=list)
    access: bool = False  # a change of access: no new version fixes it, and only other domains are hit

    @property
    def label(self) -> str:
        return self.product if self.version is None else f"{self.product} v{self.version}"


def compare(base: Mesh, current: Mesh, today: dt.date | None = None) -> list[Change]:
    """Every change to a product public in the base (or now), with the consumers of each breaking one."""
    today = today or dt.date.today()
    before, after = product_versions(base), product_versions(current)
    changes: list[Change] = []
    names_now = {name for name, _ in after}
    for key, old in sorted(before.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        if old.access != "public":
            continue
        new = after.get(key)
        if new is None:
            if old.name not in names_now:
                changes.append(_change(old, True, "product removed"))
            elif not _expired(old, today):
                changes.append(_change(old, True, "version removed before its deprecation date"
                                       if old.deprecation_date else "version removed"))
            continue
        changes += _column_changes(old, new) + _model_changes(old, new)
    for key, new in sorted(after.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        if new.access != "public":
            continue
        was = before.get(key)
        if was is None:
            known = any(name == new.name for name, _ in before)
            changes.append(_change(new, False, "new version" if known else "new product"))
            changes += _undeprecated_predecessors(new, after)
        elif was.access != "public":
            changes.append(_change(new, False, f"new product: access widened from {was.access} to public"))
    consumers_of = _consumers(current, base)
    for change in changes:
        if change.breaking:
            uid = (after.get((change.product, change.version)) or before[(change.product, change.version)]).unique_id
            change.consumers = [_with_mention(consumer, change.column, current)
                                for consumer in consumers_of(uid, change.product)
                                if not (change.access and consumer.domain == change.domain)]
    changes += _moved_to_breaking_latest(before, after, current, base)
    return changes


def _change(product: ProductVersion, breaking: bool, what: str, column: str | None = None) -> Change:
    return Change(product.name, product.version, product.domain, product.path, breaking, what, column)


def _column_changes(old: ProductVersion, new: ProductVersion) -> list[Change]:
    changes = []
    for name, column in old.columns.items():
        now = new.columns.get(name)
        if now is None:
            changes.append(_change(new, True, f"column {name} removed", name))
            continue
        if column.data_type != now.data_type:
            changes.append(_change(new, True, f"column {name} type changed from {column.data_type or 'untyped'} "
                                              f"to {now.data_type or 'untyped'}", name))
        for constraint in sorted(column.constraints - now.constraints):
            changes.append(_change(new, True, f"column {name} constraint {constraint} removed", name))
        if column.description != now.description:
            changes.append(_change(new, False, f"column {name} description changed", name))
    for name in new.columns.keys() - old.columns.keys():
        changes.append(_change(new, False, f"column {name} added", name))
    return changes


def _model_changes(old: ProductVersion, new: ProductVersion) -> list[Change]:
    changes = []
    if old.enforced and not new.enforced:
        changes.append(_change(new, True, "contract no longer enforced"))
    if ACCESS_RANK.get(new.access, 0) < ACCESS_RANK.get(old.access, 0):
        narrowed = _change(new, True, f"access narrowed from {old.access} to {new.access}")
        narrowed.access = True
        changes.append(narrowed)
    for constraint in sorted(old.constraints - new.constraints):
        changes.append(_change(new, True, f"constraint {constraint} removed"))
    if old.description != new.description:
        changes.append(_change(new, False, "description changed"))
    return changes


def _undeprecated_predecessors(new: ProductVersion, after: dict) -> list[Change]:
    """A new version is how a break is made; the versions it replaces must say until when they stay."""
    if new.version is None or new.latest_version != new.version:
        return []
    return [_change(older, True, f"kept without a deprecation_date now that v{new.version} is the latest: "
                                 f"give v{older.version} a deprecation_date so its consumers know when to move")
            for (name, version), older in after.items()
            if name == new.name and version != new.version and older.deprecation_date is None]


def _expired(product: ProductVersion, today: dt.date) -> bool:
    try:
        return product.deprecation_date is not None and \
            dt.date.fromisoformat(product.deprecation_date[:10]) <= today
    except ValueError:
        return False


def _consumers(current: Mesh, base: Mesh):
    """consumers(unique_id, product name): what reads that version now (or, if it is gone, what read it),
    leaving out the product's own tests."""
    def consumers(uid: str, product: str) -> list[Consumer]:
        mesh = current if uid in current.nodes else base
        found = []
        for child in mesh.children(uid):
            node = mesh.node(child)
            if node is None or node.get("attached_node") == uid:
                continue
            domain = mesh.domain_of(child) or "(no domain)"
            owner = mesh.domains.get(domain)
            found.append(Consumer(child, node.get("name", child), node.get("resource_type", child.split(".")[0]),
                                  domain, f"{owner.owner_name} {owner.team_handle}".strip() if owner else "", None))
        return sorted(found, key=lambda consumer: (consumer.domain, consumer.kind, consumer.name))
    return consumers


def _with_mention(consumer: Consumer, column: str | None, current: Mesh) -> Consumer:
    if column is None:
        return consumer
    node = current.nodes.get(consumer.unique_id)
    code = (node.raw_code if node is not None else None) or ""
    mentioned = re.search(rf"\b{re.escape(column)}\b", code, re.IGNORECASE) is not None
    return Consumer(**{**consumer.__dict__, "mentions": mentioned})


def _moved_to_breaking_latest(before: dict, after: dict, mesh: Mesh, base: Mesh) -> list[Change]:
    """Consumers of an unpinned ref follow the latest version: moved to one that breaks what they had."""
    changes = []
    moved: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_id = {product.unique_id: product for product in after.values()}
    for uid in mesh.nodes:
        for parent in mesh.parents(uid):
            new = by_id.get(parent)
            if new is None or new.version is None or (new.name, new.version) in before:
                continue
            previous = before.get((new.name, _previous_latest(before, new.name)))
            if previous is not None and previous.unique_id in base.parents(uid) and previous.access == "public":
                moved[(previous.unique_id, new.unique_id)].append(uid)
    before_by_id = {product.unique_id: product for product in before.values()}
    for (previous_id, new_id), readers in moved.items():
        previous, new = before_by_id[previous_id], by_id[new_id]
        breaks = [change for change in _column_changes(previous, new) + _model_changes(previous, new)
                  if change.breaking]
        if not breaks:
            continue
        change = Change(new.name, new.version, new.domain, new.path, True,
                        f"consumers following the latest version moved from v{previous.version} to v{new.version}, "
                        f"which breaks what they read ({'; '.join(b.what for b in breaks)}): pin "
                        f"ref('{new.name}', v={previous.version}) or adapt them")
        consumers = _consumers(mesh, mesh)(new.unique_id, new.name)
        change.consumers = [consumer for consumer in consumers if consumer.unique_id in readers]
        changes.append(change)
    return changes


def _previous_latest(before: dict, name: str) -> str | None:
    """The version an unpinned ref resolved to in the base: its latest_version, else its highest."""
    versions = [product for (product_name, _), product in before.items() if product_name == name]
    if not versions:
        return None
    numbered = [p.version for p in versions if p.version]
    return versions[0].latest_version or max(numbered, key=_version_order, default=None)


def _version_order(version: str) -> tuple:
    return (0, float(version), "") if version.replace(".", "", 1).isdigit() else (1, 0.0, version)
